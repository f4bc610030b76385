import type { ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import { TENCENT_CATALOG_RULES } from './tencent-scf-catalog.ts';
import { TENCENT_ENDPOINTS } from './tencent-scf-endpoints.ts';
import { TENCENT_ERRORS } from './tencent-scf-errors.ts';
import { TENCENT_POLICIES } from './tencent-scf-policies.ts';

const MIB = 1024 * 1024;

/** Tencent Cloud SCF with Tencent Cloud STS. */
const tencentScf = {
  specificationVersion: 'v1',
  id: 'tencent',
  folder: 'tencent-scf',
  names: { cloud: 'Tencent Cloud', services: { sts: 'Tencent Cloud STS', invoke: 'Tencent Cloud SCF' }, environmentPrefix: 'TENCENT' },
  endpoints: TENCENT_ENDPOINTS,
  // SCF's synchronous event and response limit is 6 MB. The reply travels as the JSON string `Result.RetMsg` inside
  // the API's JSON answer, where escaping grows a JSON reply up to about twice its size.
  limits: { maxRequestBytes: 6 * MIB, maxReplyBytes: 6 * MIB, maxReplyWireBytes: 13 * MIB },
  errors: TENCENT_ERRORS,
  catalog: TENCENT_CATALOG_RULES,
  broker: {
    keyVariables: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
    defaultAccountId: '100000000001',
    accountId: { pattern: /^\d{5,20}$/, maxLength: 20, description: 'a Tencent Cloud uin of 5-20 digits' },
  },
  policies: TENCENT_POLICIES,
  async createAdapter(settings): Promise<ProviderAdapterV1> {
    const { createTencentScfAdapter } = await import('./tencent-scf-adapter.ts');
    return createTencentScfAdapter(tencentScf, settings);
  },
} as const satisfies ProviderDefinition;

export default tencentScf;
