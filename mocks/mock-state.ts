import type { AccountRegistry } from './account-registry.ts';
import type { CallLog } from './call-log.ts';
import type { FaultPlans } from './fault-plan.ts';
import type { FunctionRegistry } from './function-registry.ts';
import type { MockClock } from './mock-clock.ts';
import type { MockProvider } from './mock-provider.ts';
import type { ProviderName } from './mock-types.ts';
import type { RoleRegistry } from './role-registry.ts';
import type { NonceRegistry } from './signatures/nonce-registry.ts';
import { LakefnError } from '../src/errors/index.ts';

/** Every cloud's mock, by provider id, in PROVIDERS order. */
export type MockProviders = ReadonlyMap<ProviderName, MockProvider>;

/** Everything the API handlers read and change. */
export interface MockState {
  readonly clock: MockClock;
  readonly providers: MockProviders;
  readonly accounts: AccountRegistry;
  readonly roles: RoleRegistry;
  readonly functions: FunctionRegistry;
  readonly faults: FaultPlans;
  readonly callLog: CallLog;
  readonly nonces: NonceRegistry;
  /** `provider/region` of STS endpoints deactivated by setStsRegionEnabled. */
  readonly disabledStsRegions: Set<string>;
  /** Aborted by stop(): pending delays end and hung calls are released. */
  readonly stopping: AbortSignal;
}

/** The mock of `provider` (every provider of PROVIDERS has one). */
export function mockProviderOf(providers: MockProviders, provider: ProviderName): MockProvider {
  const mock = providers.get(provider);
  if (mock === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `the lakefn mock has no provider '${String(provider).slice(0, 40)}'`);
  return mock;
}
