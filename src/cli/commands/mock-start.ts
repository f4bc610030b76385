import { once } from 'node:events';
import { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import type { ProviderName } from '../../spec/provider-name.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';

interface MockOptions {
  readonly port: string;
  readonly log?: boolean;
}

/** The slice of mocks/mock-cloud.ts this command uses (src/ has no static dependency on mocks/). */
interface RunningMockCloud {
  readonly env: Readonly<Record<string, string>>;
  readonly adminUrl: string;
  readonly customerAccounts: Readonly<Record<ProviderName, { readonly accountId: string }>>;
  putFunction(definition: { provider: ProviderName; accountId: string; region: string; namespace?: string; name: string; builtin: string }): string;
  stop(): Promise<void>;
}

interface MockCloudModule {
  readonly MockCloud: { start(options: { port: number; log: boolean }): Promise<RunningMockCloud> };
  readonly BUILTIN_FUNCTION_NAMES: readonly string[];
}

/** Loaded only when `lakefn mock` runs, so that no other command loads the mock cloud. */
const MOCK_CLOUD_MODULE = new URL('../../../mocks/mock-cloud.ts', import.meta.url).href;

/** Where the built-in functions are pre-registered in each customer account (Tencent: namespace `default`). */
export const MOCK_DEFAULT_REGIONS = { aliyun: 'cn-shanghai', tencent: 'ap-guangzhou', aws: 'us-east-1' } as const satisfies Record<ProviderName, string>;

/**
 * `lakefn mock`: runs the mock cloud (FC 3.0, SCF, Lambda and the three STS APIs on 127.0.0.1) until SIGINT/SIGTERM,
 * with the built-in example functions registered in each customer account. With --json the first stdout line is
 * one JSON object {env, customer_accounts, admin_url}.
 */
export function mockCommand(context: CliContext): Command {
  const command = new Command('mock')
    .description('run the mock cloud (Alibaba FC 3.0, Tencent SCF, AWS Lambda and their STS) on 127.0.0.1 until interrupted')
    .option('--port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--log', 'log every request to stderr (no secrets)')
    .action(async (options: MockOptions, self: Command) => {
      const port = Number(options.port);
      if (!/^\d{1,5}$/.test(options.port) || port > 65_535) throw new LakefnError('E_USAGE', `--port must be an integer from 0 to 65535, got '${options.port.slice(0, 20)}'`);
      const { MockCloud, BUILTIN_FUNCTION_NAMES } = (await import(MOCK_CLOUD_MODULE)) as MockCloudModule;
      const cloud = await MockCloud.start({ port, log: options.log === true });
      try {
        for (const provider of Object.keys(MOCK_DEFAULT_REGIONS) as ProviderName[]) {
          for (const name of BUILTIN_FUNCTION_NAMES) {
            cloud.putFunction({ provider, accountId: cloud.customerAccounts[provider].accountId, region: MOCK_DEFAULT_REGIONS[provider], name, builtin: name });
          }
        }
        const customerAccounts = Object.fromEntries(Object.entries(cloud.customerAccounts).map(([provider, account]) => [provider, account.accountId]));
        if (globalOptions(self).json === true) {
          context.stdout.write(`${JSON.stringify({ env: cloud.env, customer_accounts: customerAccounts, admin_url: cloud.adminUrl })}\n`);
        } else {
          context.stdout.write(describe(cloud, customerAccounts, BUILTIN_FUNCTION_NAMES));
        }
        await waitForStopSignal();
      } finally {
        await cloud.stop();
      }
    });
  return describeJsonOutput(command, '{env, customer_accounts, admin_url} as one JSON line');
}

function describe(cloud: RunningMockCloud, customerAccounts: Record<string, string>, builtins: readonly string[]): string {
  const accounts = Object.entries(customerAccounts).map(([provider, id]) => `${provider} ${id}`).join(', ');
  const regions = Object.entries(MOCK_DEFAULT_REGIONS).map(([provider, region]) => `${provider} ${region}${provider === 'tencent' ? '/default' : ''}`).join(', ');
  const exports = Object.entries(cloud.env).map(([name, value]) => `export ${name}=${value}`).join('\n');
  return (
    `lakefn mock: cloud APIs on ${cloud.env['LAKEFN_AWS_LAMBDA_ENDPOINT'] ?? ''}, admin API on ${cloud.adminUrl}\n` +
    `customer accounts: ${accounts}\n` +
    `built-in functions (${regions}): ${builtins.join(', ')}\n` +
    `point lakefn at the mock (mock broker keys, not real ones):\n${exports}\n` +
    `roles: PUT ${cloud.adminUrl}/roles {"provider","role_arn","trust_policy"} with the policy DESC API CONNECTION prints.\n` +
    `Press Ctrl+C to stop.\n`
  );
}

/** Resolves on the first SIGTERM or SIGINT, removing both listeners. */
async function waitForStopSignal(): Promise<void> {
  const stop = new AbortController();
  const signals = ['SIGTERM', 'SIGINT'].map((name) => once(process, name, { signal: stop.signal }));
  try {
    await Promise.race(signals);
  } finally {
    stop.abort();
    await Promise.allSettled(signals);
  }
}
