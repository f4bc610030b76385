import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';
import type { MockProcess } from './mock-process.ts';
import type { InvokeTarget } from './presigned-invoke.ts';
import { benchConnection, benchRegion, benchTrustPolicy, LakefnStack } from './provider-fixture.ts';
import { createUndiciInvokeAdapter } from './undici-adapter.ts';

/** Sockets of the undici experiment's pool: the dispatcher's default global concurrency. */
const UNDICI_CONNECTIONS = 64;

/** The mock functions every provider gets (all run the built-in `upper`). */
export const MOCK_FUNCTIONS = {
  /** No added latency: throughput scenarios. */
  upper: 'bench_upper',
  /** 20 ms per invocation. */
  upper20: 'bench_upper_20',
  /** Concurrency limit N and 20 ms: throttling goodput. */
  throttled: 'bench_throttled',
  /** The same, plus injected 5xx. */
  throttledFaulty: 'bench_throttled_5xx',
} as const;

export interface MockFunctionSettings {
  readonly goodputConcurrency: number;
  readonly goodputLatencyMs: number;
  readonly faultProbability: number;
}

/** One provider's bench context: its connection (role on the mock), mock functions and lakefn stack. */
export class ProviderBench {
  readonly provider: ProviderName;
  readonly mock: MockProcess;
  readonly stack: LakefnStack;
  /** `http://127.0.0.1:PORT` of the mock. */
  readonly origin: string;
  readonly cloudFunction = MOCK_FUNCTIONS.upper;
  readonly #log: (line: string) => void;
  #undiciDispatcher: Dispatcher | undefined;

  private constructor(provider: ProviderName, mock: MockProcess, stack: LakefnStack, log: (line: string) => void) {
    this.provider = provider;
    this.mock = mock;
    this.stack = stack;
    this.origin = new URL(mock.info.adminUrl).origin;
    this.#log = log;
  }

  static async create(provider: ProviderName, mock: MockProcess, settings: MockFunctionSettings, log: (line: string) => void): Promise<ProviderBench> {
    const connection = benchConnection(provider, mock.info);
    await mock.putRole(provider, connection.roleArn, benchTrustPolicy(connection, mock.info.env));
    const region = benchRegion(provider);
    await mock.putFunction({ provider, region, name: MOCK_FUNCTIONS.upper, builtin: 'upper' });
    await mock.putFunction({ provider, region, name: MOCK_FUNCTIONS.upper20, builtin: 'upper', latencyMs: 20 });
    const throttled = { provider, region, builtin: 'upper', concurrency: settings.goodputConcurrency, latencyMs: settings.goodputLatencyMs };
    await mock.putFunction({ ...throttled, name: MOCK_FUNCTIONS.throttled });
    await mock.putFunction({ ...throttled, name: MOCK_FUNCTIONS.throttledFaulty });
    await mock.putFaults(provider, MOCK_FUNCTIONS.throttledFaulty, [{ fault: '5xx', probability: settings.faultProbability, seed: 7 }]);
    return new ProviderBench(provider, mock, new LakefnStack(connection, mock.info.env), log);
  }

  get region(): string {
    return this.stack.connection.region;
  }

  /** Where the ceiling client sends, with the same temporary credentials lakefn's broker holds. */
  async invokeTarget(functionName: string = this.cloudFunction): Promise<InvokeTarget> {
    const connection = this.stack.connection;
    return {
      provider: this.provider,
      credentials: await this.stack.broker.credentialsFor(connection)(),
      region: connection.region,
      namespace: connection.namespace,
      accountId: this.mock.info.customerAccounts[this.provider],
      functionName,
      host: new URL(this.origin).host,
    };
  }

  /** The same dispatcher setup with invocations signed and sent over undici (the experiment; see undici-adapter.ts). */
  get undiciDispatcher(): Dispatcher {
    this.#undiciDispatcher ??= this.stack.dispatcherWith({ adapter: createUndiciInvokeAdapter(this.provider, this.stack.registry.adapterFor(this.provider), this.origin, UNDICI_CONNECTIONS, this.mock.info.customerAccounts[this.provider]) });
    return this.#undiciDispatcher;
  }

  log(line: string): void {
    this.#log(`[${this.provider}] ${line}`);
  }

  close(): Promise<void> {
    return this.stack.close();
  }
}
