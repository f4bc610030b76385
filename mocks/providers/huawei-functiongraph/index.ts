import { randomBytes } from 'node:crypto';
import { parseAgencyUrn } from '../../../providers/huawei-functiongraph/huawei-functiongraph-catalog.ts';
import type { MockProvider } from '../../mock-provider.ts';
import { ALPHANUMERIC, UPPER_ALPHANUMERIC, randomString } from '../../random-text.ts';
import { HUAWEI_BENCH } from './huawei-functiongraph-bench.ts';
import { FUNCTIONGRAPH_MISSING_QUALIFIER, FUNCTIONGRAPH_REPLY_LIMIT, handleFunctionGraphInvoke, isFunctionGraphInvokePath } from './huawei-functiongraph-invoke-handler.ts';
import { HUAWEI_SAMPLES } from './huawei-functiongraph-samples.ts';
import { ASSUME_AGENCY_PATH, AUTH_PROJECTS_PATH, handleAssumeAgency, handleAuthProjects } from './huawei-functiongraph-sts-handler.ts';

const ACCOUNT_ID = /^[0-9a-f]{1,64}$/;

/** FunctionGraph synchronous invocation + IAM 5.0 STS AssumeAgency + IAM's project list, all SDK-HMAC-SHA256. */
const huaweiFunctionGraphMock = {
  id: 'huawei',
  route(method, path) {
    if (method === 'POST' && path === ASSUME_AGENCY_PATH) return handleAssumeAgency;
    if (method === 'GET' && path === AUTH_PROJECTS_PATH) return handleAuthProjects;
    if (method === 'POST' && isFunctionGraphInvokePath(path)) return handleFunctionGraphInvoke;
    return undefined;
  },
  accounts: {
    // Domain ids are 32 hex characters; the mock's account ids are digits, which are hex too.
    idLength: 32,
    // Access key ids: 20 upper-case letters and digits; temporary ones as STS issues them, with their security token.
    newAccessKey: (temporary) => ({ accessKeyId: temporary ? `HST${randomString(UPPER_ALPHANUMERIC, 17)}` : randomString(UPPER_ALPHANUMERIC, 20), secret: randomString(ALPHANUMERIC, 40) }),
    newSessionToken: () => `gQpjbi1ub3J0aC00${randomBytes(480).toString('base64url')}`,
    partitions: [{ id: 'huawei', brokerAccountId: '10000000000000000000000000000001', customerAccountId: '10000000000000000000000000000002' }],
  },
  roles: {
    parseArn(roleArn) {
      const agency = parseAgencyUrn(roleArn);
      return agency === undefined ? undefined : { accountId: agency.accountId, roleName: agency.roleName, partition: undefined };
    },
    caseInsensitive: false,
    roleId: (sequence) => String(sequence).padStart(32, '0'),
    // A trust agency's maximum session duration defaults to one hour (1-12 hours, iam_01_1163).
    defaultMaxSessionSeconds: 3600,
  },
  // duration_seconds 900-43200, default 3600 (iam_01_1237); the session name's rule is not documented.
  sts: { defaultDurationSeconds: 3600, minDurationSeconds: 900, maxSessionNameLength: 64, sessionNamePattern: /^[\w+=,.@-]+$/ },
  // The trust policy grammar of CreateAgencyV5 / UpdateTrustPolicyV5 (support.huaweicloud.com/api-iam5/CreateAgencyV5.html:
  // Principal {"IAM": [...]}, Condition {<operator>: {<key>: <value>}}), the action sts:agencies:assume and the
  // condition key sts:ExternalId of AssumeAgency (api-iam5/AssumeAgency.html, "Authorization information").
  trust: {
    principalKey: 'iam',
    principalAccount(principal) {
      if (ACCOUNT_ID.test(principal)) return { accountId: principal, partition: undefined };
      // iam::<account id>:root
      const parts = principal.split(':');
      const accountId = parts[2];
      return parts.length === 4 && parts[0] === 'iam' && parts[1] === '' && parts[3] === 'root' && accountId !== undefined && ACCOUNT_ID.test(accountId) ? { accountId, partition: undefined } : undefined;
    },
    equalsOperator: 'stringequals',
    externalIdKey: 'sts:externalid',
    assumeActions: ['sts:agencies:assume'],
  },
  functions: { namespaced: true, defaultRegion: 'cn-north-4', maxReplyBytes: FUNCTIONGRAPH_REPLY_LIMIT, latestQualifiers: ['latest'] },
  // FunctionGraph returns the log tail when asked; a Retry-After on its 429 is not documented.
  capabilities: { logTail: true, throttleRetryAfter: false, missingQualifier: FUNCTIONGRAPH_MISSING_QUALIFIER },
  samples: HUAWEI_SAMPLES,
  bench: HUAWEI_BENCH,
} as const satisfies MockProvider;

export default huaweiFunctionGraphMock;
