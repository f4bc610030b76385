import type { ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import { ALIYUN_CATALOG_RULES } from './aliyun-fc-catalog.ts';
import { ALIYUN_ENDPOINTS } from './aliyun-fc-endpoints.ts';
import { ALIYUN_ERRORS } from './aliyun-fc-errors.ts';
import { ALIYUN_POLICIES } from './aliyun-fc-policies.ts';

const MIB = 1024 * 1024;

/** Alibaba Cloud Function Compute 3.0 with Alibaba Cloud STS. */
const aliyunFc = {
  specificationVersion: 'v1',
  id: 'aliyun',
  folder: 'aliyun-fc',
  names: { cloud: 'Alibaba Cloud', services: { sts: 'Alibaba Cloud STS', invoke: 'Alibaba Cloud Function Compute' }, environmentPrefix: 'ALIYUN' },
  endpoints: ALIYUN_ENDPOINTS,
  // FC 3.0's synchronous request and response limit is 32 MB; the reply is the body as is, plus headroom.
  limits: { maxRequestBytes: 32 * MIB, maxReplyBytes: 32 * MIB, maxReplyWireBytes: 33 * MIB },
  errors: ALIYUN_ERRORS,
  catalog: ALIYUN_CATALOG_RULES,
  broker: {
    keyVariables: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    defaultAccountId: '1000000000000001',
    accountId: { pattern: /^\d{12,20}$/, maxLength: 20, description: 'an Alibaba Cloud account uid of 12-20 digits' },
  },
  policies: ALIYUN_POLICIES,
  async createAdapter(settings): Promise<ProviderAdapterV1> {
    const { createAliyunFcAdapter } = await import('./aliyun-fc-adapter.ts');
    return createAliyunFcAdapter(aliyunFc, settings);
  },
} as const satisfies ProviderDefinition;

export default aliyunFc;
