// SKELETON (being implemented by H3): signatures are final.
import type { MockClock } from './mock-clock.ts';
import type {
  CallLogEntry,
  FaultPlanDefinition,
  FunctionDefinition,
  MockAccount,
  MockCounters,
  MockEndpoints,
  ProviderName,
  RoleDefinition,
} from './mock-types.ts';

export interface MockCloudOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default systemClock */
  readonly clock?: MockClock;
  /** Log each request to stderr. @default false */
  readonly log?: boolean;
}

export class MockCloud {
  readonly endpoints!: MockEndpoints;
  readonly env!: Readonly<Record<string, string>>;
  readonly brokerAccounts!: Readonly<Record<ProviderName, MockAccount>>;
  readonly customerAccounts!: Readonly<Record<ProviderName, MockAccount>>;
  readonly adminUrl!: string;

  static async start(_options: MockCloudOptions = {}): Promise<MockCloud> {
    throw new Error('MockCloud: not implemented yet');
  }

  addAccount(_provider: ProviderName, _accountId?: string): MockAccount {
    throw new Error('not implemented yet');
  }
  putRole(_role: RoleDefinition): void {}
  putFunction(_definition: FunctionDefinition): string {
    return '';
  }
  putFaults(_definition: FaultPlanDefinition): void {}
  calls(): CallLogEntry[] {
    return [];
  }
  counters(): MockCounters {
    return { functions: {}, apis: {} };
  }
  reset(_scope: 'observations' | 'all' = 'observations'): void {}
  async stop(): Promise<void> {}
}
