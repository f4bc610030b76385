import type { FunctionProperties } from '../spec/function-record.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';

export interface BatchByteLimit {
  readonly bytes: number;
  /** How the bound was chosen, for E_ROW_TOO_LARGE messages. */
  readonly reason: string;
}

/**
 * A batch's encoded-size bound: max_batch_bytes, never above the provider's synchronous payload limit minus
 * headroom (the SDK adds headers and some providers count the envelope they wrap the payload in).
 */
export function batchByteLimit(properties: FunctionProperties, adapter: ProviderAdapterV1, headroom: number): BatchByteLimit {
  const providerBound = Math.floor(adapter.limits.maxRequestBytes * (1 - headroom));
  if (properties.maxBatchBytes <= providerBound) return { bytes: properties.maxBatchBytes, reason: `max_batch_bytes=${properties.maxBatchBytes}` };
  return {
    bytes: providerBound,
    reason: `the ${adapter.provider} payload limit of ${adapter.limits.maxRequestBytes} bytes minus ${Math.round(headroom * 100)} % headroom`,
  };
}
