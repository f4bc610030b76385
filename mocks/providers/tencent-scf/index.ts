import { randomBytes } from 'node:crypto';
import type { MockProvider } from '../../mock-provider.ts';
import { ALPHANUMERIC, randomString } from '../../random-text.ts';
import { handleTencentApi } from './tencent-scf-api-handler.ts';
import { TENCENT_BENCH } from './tencent-scf-bench.ts';
import { SCF_MISSING_QUALIFIER, SCF_REPLY_LIMIT } from './tencent-scf-invoke-handler.ts';
import { TENCENT_SAMPLES } from './tencent-scf-samples.ts';

const ACCOUNT_ID = /^\d{1,32}$/;

/** The account of a CAM principal or role: `qcs::cam::uin/<uin>[:root | :uin/<sub> | :roleName/<name>]`. */
function uinOf(value: string): string | undefined {
  const start = value.indexOf('uin/');
  if (!value.startsWith('qcs::cam::') || start === -1) return undefined;
  const rest = value.slice(start + 4);
  const end = rest.indexOf(':');
  const uin = end === -1 ? rest : rest.slice(0, end);
  return ACCOUNT_ID.test(uin) ? uin : undefined;
}

/** SCF Invoke / InvokeFunction + STS AssumeRole (Tencent Cloud API 3.0, TC3-HMAC-SHA256). */
const tencentScfMock = {
  id: 'tencent',
  // API 3.0: POST / with the action in X-TC-Action (STS and SCF share the envelope)
  route: (method, path, headers) => (method === 'POST' && path === '/' && headers['x-tc-action'] !== undefined ? handleTencentApi : undefined),
  accounts: {
    idLength: 12,
    newAccessKey: (temporary) => ({ accessKeyId: `AKID${randomString(ALPHANUMERIC, temporary ? 56 : 32)}`, secret: randomString(ALPHANUMERIC, 32) }),
    newSessionToken: () => randomBytes(192).toString('base64'),
    partitions: [{ id: 'tencent', brokerAccountId: '100000000001', customerAccountId: '100000000002' }],
  },
  roles: {
    // qcs::cam::uin/<uin>:roleName/<name> (or :role/<name>)
    parseArn(roleArn) {
      const parts = roleArn.split(':');
      const resource = parts[5];
      const accountId = uinOf(roleArn);
      if (parts.length !== 6 || accountId === undefined || resource === undefined) return undefined;
      if (!resource.startsWith('roleName/') && !resource.startsWith('role/')) return undefined;
      const roleName = resource.slice(resource.lastIndexOf('/') + 1);
      return roleName === '' ? undefined : { accountId, roleName, partition: undefined };
    },
    caseInsensitive: false,
    roleId: (sequence) => `3${String(sequence).padStart(17, '0')}`,
    // the AssumeRole maximum
    defaultMaxSessionSeconds: 43_200,
  },
  sts: { defaultDurationSeconds: 7200, minDurationSeconds: 1, maxSessionNameLength: 128, sessionNamePattern: /^[\w+=,.@-]+$/ },
  trust: {
    principalKey: 'qcs',
    principalAccount(principal) {
      const accountId = ACCOUNT_ID.test(principal) ? principal : uinOf(principal);
      return accountId === undefined ? undefined : { accountId, partition: undefined };
    },
    equalsOperator: 'string_equal',
    externalIdKey: 'sts:external_id',
    assumeActions: ['sts:assumerole'],
  },
  // $DEFAULT is the alias every function has (InvokeFunction's default Qualifier)
  functions: { namespaced: true, defaultRegion: 'ap-guangzhou', maxReplyBytes: SCF_REPLY_LIMIT, latestQualifiers: ['$LATEST', '$DEFAULT'] },
  // the SCF mock sends an empty Log, and SCF throttles carry no Retry-After
  capabilities: { logTail: false, throttleRetryAfter: false, missingQualifier: SCF_MISSING_QUALIFIER },
  samples: TENCENT_SAMPLES,
  bench: TENCENT_BENCH,
} as const satisfies MockProvider;

export default tencentScfMock;
