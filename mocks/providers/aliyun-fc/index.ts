import { randomBytes } from 'node:crypto';
import type { MockProvider } from '../../mock-provider.ts';
import { ALPHANUMERIC, randomString } from '../../random-text.ts';
import { FC_MISSING_QUALIFIER, FC_REPLY_LIMIT, handleFcInvoke, isFcInvokePath } from './aliyun-fc-invoke-handler.ts';
import { handleAliyunSts } from './aliyun-fc-sts-handler.ts';
import { ALIYUN_BENCH } from './aliyun-fc-bench.ts';
import { ALIYUN_SAMPLES } from './aliyun-fc-samples.ts';

const ACCOUNT_ID = /^\d{1,32}$/;

/** Function Compute 3.0 InvokeFunction + STS AssumeRole (ACS3-HMAC-SHA256). */
const aliyunFcMock = {
  id: 'aliyun',
  route(method, path, headers) {
    if (method !== 'POST') return undefined;
    if (isFcInvokePath(path)) return handleFcInvoke;
    return path === '/' && headers['x-acs-action'] !== undefined ? handleAliyunSts : undefined;
  },
  accounts: {
    idLength: 16,
    newAccessKey: (temporary) => ({ accessKeyId: (temporary ? 'STS.NU' : 'LTAI') + randomString(ALPHANUMERIC, temporary ? 22 : 20), secret: randomString(ALPHANUMERIC, 30) }),
    newSessionToken: () => `CAIS${randomBytes(192).toString('base64')}`,
    partitions: [{ id: 'aliyun', brokerAccountId: '1000000000000001', customerAccountId: '1000000000000002' }],
  },
  roles: {
    // acs:ram::<uid>:role/<name>; RAM role names are case-insensitive
    parseArn(roleArn) {
      const parts = roleArn.split(':');
      const [scheme, service, region, accountId, resource] = parts;
      if (parts.length !== 5 || scheme !== 'acs' || service !== 'ram' || region !== '' || accountId === undefined || !ACCOUNT_ID.test(accountId)) return undefined;
      if (resource?.toLowerCase().startsWith('role/') !== true) return undefined;
      const roleName = resource.slice(resource.lastIndexOf('/') + 1);
      return roleName === '' ? undefined : { accountId, roleName, partition: undefined };
    },
    caseInsensitive: true,
    roleId: (sequence) => `3${String(sequence).padStart(17, '0')}`,
    defaultMaxSessionSeconds: 3600,
  },
  // Aliyun allows only letters, digits and `.@-_` in session names.
  sts: { defaultDurationSeconds: 3600, minDurationSeconds: 900, maxSessionNameLength: 64, sessionNamePattern: /^[\w.@-]+$/ },
  trust: {
    principalKey: 'ram',
    principalAccount(principal) {
      if (ACCOUNT_ID.test(principal)) return { accountId: principal, partition: undefined };
      // acs:ram::<uid>[:root]
      const accountId = principal.split(':')[3];
      return principal.startsWith('acs:ram:') && accountId !== undefined && ACCOUNT_ID.test(accountId) ? { accountId, partition: undefined } : undefined;
    },
    equalsOperator: 'stringequals',
    externalIdKey: 'sts:externalid',
    assumeActions: ['sts:assumerole'],
  },
  functions: { namespaced: false, defaultRegion: 'cn-shanghai', maxReplyBytes: FC_REPLY_LIMIT, latestQualifiers: ['LATEST'] },
  capabilities: { logTail: true, throttleRetryAfter: false, missingQualifier: FC_MISSING_QUALIFIER },
  samples: ALIYUN_SAMPLES,
  bench: ALIYUN_BENCH,
} as const satisfies MockProvider;

export default aliyunFcMock;
