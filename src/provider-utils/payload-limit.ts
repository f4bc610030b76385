import { LakefnError, quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { serviceName } from './classify-provider-error.ts';

/** Provider synchronous request limits (SPEC §7). */
export const PAYLOAD_LIMITS: Readonly<Record<ProviderName, number>> = {
  aws: 6 * 1024 * 1024,
  aliyun: 32 * 1024 * 1024,
  tencent: 6 * 1024 * 1024,
};

/**
 * Refuses a payload the provider would refuse anyway, before sending megabytes for nothing. Same code
 * as the provider's own 413, so the dispatcher splits the batch either way.
 */
export function assertPayloadWithinLimit(provider: ProviderName, functionName: string, payloadBytes: number): void {
  const limit = PAYLOAD_LIMITS[provider];
  if (payloadBytes <= limit) return;
  throw new LakefnError(
    'E_PAYLOAD_TOO_LARGE',
    `the request for function ${quoteValue(functionName)} is ${payloadBytes} bytes, above ${serviceName(provider, 'invoke')}'s synchronous limit of ${limit} bytes; lakefn splits the batch; lower max_batch_bytes to avoid this`,
    { location: { provider } },
  );
}
