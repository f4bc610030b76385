import type { AccountRegistry } from './account-registry.ts';
import type { CallLog } from './call-log.ts';
import type { FaultPlans } from './fault-plan.ts';
import type { FunctionRegistry } from './function-registry.ts';
import type { MockClock } from './mock-clock.ts';
import type { RoleRegistry } from './role-registry.ts';
import type { NonceRegistry } from './signatures/acs3-verifier.ts';

/** Everything the API handlers read and change. */
export interface MockState {
  readonly clock: MockClock;
  readonly accounts: AccountRegistry;
  readonly roles: RoleRegistry;
  readonly functions: FunctionRegistry;
  readonly faults: FaultPlans;
  readonly callLog: CallLog;
  readonly nonces: NonceRegistry;
  /** Aborted by stop(): pending delays end and hung calls are released. */
  readonly stopping: AbortSignal;
}
