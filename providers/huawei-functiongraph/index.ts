import type { ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import { HUAWEI_CATALOG_RULES } from './huawei-functiongraph-catalog.ts';
import { HUAWEI_ENDPOINTS } from './huawei-functiongraph-endpoints.ts';
import { HUAWEI_ERRORS } from './huawei-functiongraph-errors.ts';
import { HUAWEI_POLICIES } from './huawei-functiongraph-policies.ts';

const MIB = 1024 * 1024;

/** Huawei Cloud FunctionGraph with IAM 5.0 STS (trust agencies). */
const huaweiFunctionGraph = {
  specificationVersion: 'v1',
  id: 'huawei',
  folder: 'huawei-functiongraph',
  names: { cloud: 'Huawei Cloud', services: { sts: 'Huawei Cloud STS', invoke: 'Huawei Cloud FunctionGraph' }, environmentPrefix: 'HUAWEI' },
  endpoints: HUAWEI_ENDPOINTS,
  // Synchronous request and response limit 6 MB (FunctionGraph "Notes and Constraints"). The reply travels as the
  // JSON string `result` of the v1 answer, where escaping grows a JSON reply up to about twice its size, plus the log.
  limits: { maxRequestBytes: 6 * MIB, maxReplyBytes: 6 * MIB, maxReplyWireBytes: 13 * MIB },
  errors: HUAWEI_ERRORS,
  catalog: HUAWEI_CATALOG_RULES,
  broker: {
    // The SDK's own variables (EnvCredentials of @huaweicloud/huaweicloud-sdk-core).
    keyVariables: ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK'],
    defaultAccountId: '10000000000000000000000000000001',
    accountId: { pattern: /^[0-9a-f]{1,64}$/, maxLength: 64, description: 'a Huawei Cloud account (domain) id of hex digits' },
  },
  policies: HUAWEI_POLICIES,
  async createAdapter(settings): Promise<ProviderAdapterV1> {
    const { createHuaweiFunctionGraphAdapter } = await import('./huawei-functiongraph-adapter.ts');
    return createHuaweiFunctionGraphAdapter(huaweiFunctionGraph, settings);
  },
} as const satisfies ProviderDefinition;

export default huaweiFunctionGraph;
