import { randomBytes } from 'node:crypto';
import type { MockProvider } from '../../mock-provider.ts';
import { ALPHANUMERIC, UPPER_ALPHANUMERIC, randomString } from '../../random-text.ts';
import { LAMBDA_MISSING_QUALIFIER, LAMBDA_REPLY_LIMIT, handleLambdaInvoke, isLambdaInvokePath } from './aws-lambda-invoke-handler.ts';
import { awsPartitionOfRegion } from './aws-lambda-partitions.ts';
import { handleAwsSts } from './aws-lambda-sts-handler.ts';
import { AWS_BENCH } from './aws-lambda-bench.ts';
import { AWS_SAMPLES } from './aws-lambda-samples.ts';

const ACCOUNT_ID = /^\d{1,32}$/;

/** `arn:<partition>:iam::<12 digits>:role/[path/]<name>`, or undefined. */
function parseRoleArn(roleArn: string): { accountId: string; roleName: string; partition: string } | undefined {
  const parts = roleArn.split(':');
  const [scheme, partition, service, region, accountId, resource] = parts;
  if (parts.length !== 6 || scheme !== 'arn' || partition?.startsWith('aws') !== true || service !== 'iam' || region !== '') return undefined;
  if (accountId === undefined || !ACCOUNT_ID.test(accountId) || resource?.startsWith('role/') !== true) return undefined;
  const roleName = resource.slice(resource.lastIndexOf('/') + 1);
  return roleName === '' ? undefined : { accountId, roleName, partition };
}

/** Lambda Invoke + STS AssumeRole (SigV4), in the aws, aws-cn and aws-us-gov partitions. */
const awsLambdaMock = {
  id: 'aws',
  route(method, path, headers) {
    if (method !== 'POST') return undefined;
    if (isLambdaInvokePath(path)) return handleLambdaInvoke;
    if (path !== '/' || headers['x-tc-action'] !== undefined || headers['x-acs-action'] !== undefined) return undefined;
    // STS (awsQuery): a SigV4-signed or form POST to `/`
    const authorization = headers.authorization ?? '';
    const contentType = headers['content-type'] ?? '';
    return authorization.startsWith('AWS4-') || contentType.startsWith('application/x-www-form-urlencoded') ? handleAwsSts : undefined;
  },
  accounts: {
    idLength: 12,
    newAccessKey: (temporary) => ({ accessKeyId: (temporary ? 'ASIA' : 'AKIA') + randomString(UPPER_ALPHANUMERIC, 16), secret: randomString(ALPHANUMERIC, 40) }),
    newSessionToken: () => `IQoJb3JpZ2luX2Vj${randomBytes(192).toString('base64')}`,
    partitions: [
      { id: 'aws', brokerAccountId: '000000000001', customerAccountId: '000000000002' },
      { id: 'aws-cn', brokerAccountId: '000000000011', customerAccountId: '000000000012' },
      { id: 'aws-us-gov', brokerAccountId: '000000000021', customerAccountId: '000000000022' },
    ],
    partitionOfRegion: awsPartitionOfRegion,
  },
  roles: {
    parseArn: parseRoleArn,
    caseInsensitive: false,
    roleId: (sequence) => `AROA${String(sequence).padStart(12, '0')}MOCK`,
    defaultMaxSessionSeconds: 3600,
  },
  sts: { defaultDurationSeconds: 3600, minDurationSeconds: 900, maxSessionNameLength: 64, sessionNamePattern: /^[\w+=,.@-]+$/ },
  trust: {
    principalKey: 'aws',
    principalAccount(principal) {
      if (ACCOUNT_ID.test(principal)) return { accountId: principal, partition: undefined };
      // arn:<partition>:iam::<account>[:root]
      const parts = principal.split(':');
      const accountId = parts[4];
      return parts[0] === 'arn' && parts[2] === 'iam' && accountId !== undefined && ACCOUNT_ID.test(accountId) ? { accountId, partition: parts[1] } : undefined;
    },
    equalsOperator: 'stringequals',
    externalIdKey: 'sts:externalid',
    assumeActions: ['sts:assumerole'],
  },
  functions: { namespaced: false, defaultRegion: 'us-east-1', maxReplyBytes: LAMBDA_REPLY_LIMIT, latestQualifiers: ['$LATEST'] },
  capabilities: { logTail: true, throttleRetryAfter: true, missingQualifier: LAMBDA_MISSING_QUALIFIER },
  samples: AWS_SAMPLES,
  bench: AWS_BENCH,
} as const satisfies MockProvider;

export default awsLambdaMock;
