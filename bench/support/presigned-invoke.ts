import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mocks/mock-provider.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';

export type { PresignedRequest };
export type InvokeTarget = BenchInvokeTarget;

/** What the bench needs of each cloud (its MockProvider's `bench`: region, request signer, reply reading). */
const BENCH_SUPPORT: ReadonlyMap<ProviderName, MockBenchSupport> = new Map((await loadMockProviders()).map((mock) => [mock.id, mock.bench]));

export function benchSupport(provider: ProviderName): MockBenchSupport {
  const support = BENCH_SUPPORT.get(provider);
  if (support === undefined) throw new Error(`no mock provider for ${provider}`);
  return support;
}

/**
 * The provider's invoke request for `payload` (the codec's bytes), signed by the vendor SDK's own signer as the adapter
 * signs it (each cloud's mock folder holds the call: SigV4 for Lambda, ACS3-HMAC-SHA256 for FC 3.0, TC3-HMAC-SHA256 for
 * SCF InvokeFunction, SDK-HMAC-SHA256 for FunctionGraph). The mock verifies these like the SDKs' own.
 */
export function presignInvoke(target: InvokeTarget, payload: Uint8Array, now = new Date()): Promise<PresignedRequest> {
  return benchSupport(target.provider).presignInvoke(target, payload, now);
}
