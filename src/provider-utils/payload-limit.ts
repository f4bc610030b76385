import { LakefnError, quoteValue } from '../errors/index.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';

/**
 * Refuses a payload the provider would refuse anyway, before sending megabytes for nothing. Same code
 * as the provider's own 413, so the dispatcher splits the batch either way.
 */
export function assertPayloadWithinLimit(provider: Pick<ProviderDefinition, 'id' | 'names' | 'limits'>, functionName: string, payloadBytes: number): void {
  const limit = provider.limits.maxRequestBytes;
  if (payloadBytes <= limit) return;
  throw new LakefnError(
    'E_PAYLOAD_TOO_LARGE',
    `the request for function ${quoteValue(functionName)} is ${payloadBytes} bytes, above ${provider.names.services.invoke}'s synchronous limit of ${limit} bytes; lakefn splits the batch; lower max_batch_bytes to avoid this`,
    { location: { provider: provider.id } },
  );
}

/**
 * E_BAD_RESPONSE for a reply larger than lakefn reads (`limits.maxReplyWireBytes`): the function ran, but its reply
 * is above what the service itself allows, so it is not a reply of that service and is not buffered.
 */
export function replyTooLargeError(provider: Pick<ProviderDefinition, 'id' | 'names' | 'limits'>, functionName: string, receivedBytes: number | undefined): LakefnError {
  const size = receivedBytes === undefined ? 'larger than' : `at least ${receivedBytes} bytes, above`;
  return new LakefnError(
    'E_BAD_RESPONSE',
    `the reply of function ${quoteValue(functionName)} from ${provider.names.services.invoke} is ${size} the ${provider.limits.maxReplyWireBytes} bytes lakefn reads ` +
      `(the service's reply limit is ${provider.limits.maxReplyBytes} bytes); it was not read further; check the endpoint and the function, or lower max_batch_rows`,
    { location: { provider: provider.id } },
  );
}
