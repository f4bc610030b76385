import type { ProviderName } from '../spec/provider-name.ts';

/** The slice of mocks/mock-cloud.ts the demo uses (src/ has no static dependency on mocks/). */
export interface DemoMockCloud {
  /** Endpoint overrides, broker keys and broker account ids that point lakefn at the mock. */
  readonly env: Readonly<Record<string, string>>;
  readonly endpoints: { readonly aws: { readonly lambda: string } };
  readonly customerAccounts: Readonly<Record<ProviderName, { readonly accountId: string }>>;
  putRole(role: { provider: ProviderName; roleArn: string; trustPolicy: string | object }): void;
  putFunction(definition: {
    provider: ProviderName;
    accountId: string;
    region: string;
    namespace?: string;
    name: string;
    builtin: string;
    concurrency?: number;
    latencyMs?: number;
    throttleRetryAfterSeconds?: number;
  }): string;
  stop(): Promise<void>;
}

interface MockCloudModule {
  readonly MockCloud: { start(options: { port: number }): Promise<DemoMockCloud> };
}

/** Loaded only when the demo runs, so that no other code path loads the mock cloud (same as `lakefn mock`). */
const MOCK_CLOUD_MODULE = new URL('../../mocks/mock-cloud.ts', import.meta.url).href;

/** Starts the mock cloud (FC, SCF, Lambda and their STS) in this process on 127.0.0.1 and an ephemeral port. */
export async function startDemoMockCloud(): Promise<DemoMockCloud> {
  const module = (await import(MOCK_CLOUD_MODULE)) as MockCloudModule;
  return module.MockCloud.start({ port: 0 });
}
