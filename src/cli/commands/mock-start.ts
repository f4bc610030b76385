import { once } from 'node:events';
import { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { type MockCloud, loadMockCloud } from '../../registry/load-mock-cloud.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';

interface MockOptions {
  readonly port: string;
  readonly log?: boolean;
}

/**
 * `lakefn mock`: runs the mock cloud (every provider's function service and STS on 127.0.0.1) until SIGINT/SIGTERM,
 * with the built-in example functions registered in each customer account, in each provider's default region. With
 * --json the first stdout line is one JSON object {env, customer_accounts, admin_url}.
 */
export function mockCommand(context: CliContext): Command {
  const command = new Command('mock')
    .description("run the mock cloud (every provider's function service and STS) on 127.0.0.1 until interrupted")
    .option('--port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--log', 'log every request to stderr (no secrets)')
    .action(async (options: MockOptions, self: Command) => {
      const port = Number(options.port);
      if (!/^\d{1,5}$/.test(options.port) || port > 65_535) throw new LakefnError('E_USAGE', `--port must be an integer from 0 to 65535, got '${options.port.slice(0, 20)}'`);
      const { MockCloud, BUILTIN_FUNCTION_NAMES } = await loadMockCloud();
      const cloud = await MockCloud.start({ port, log: options.log === true });
      try {
        for (const provider of cloud.providers) {
          for (const name of BUILTIN_FUNCTION_NAMES) {
            cloud.putFunction({ provider: provider.id, accountId: cloud.customerAccounts[provider.id].accountId, region: provider.functions.defaultRegion, name, builtin: name });
          }
        }
        const info = cloud.info();
        if (globalOptions(self).json === true) {
          context.stdout.write(`${JSON.stringify({ env: info.env, customer_accounts: info.customer_accounts, admin_url: info.admin_url })}\n`);
        } else {
          context.stdout.write(describe(cloud, BUILTIN_FUNCTION_NAMES));
        }
        await waitForStopSignal();
      } finally {
        await cloud.stop();
      }
    });
  return describeJsonOutput(command, '{env, customer_accounts, admin_url} as one JSON line');
}

function describe(cloud: MockCloud, builtins: readonly string[]): string {
  const accounts = cloud.providers.map((provider) => `${provider.id} ${cloud.customerAccounts[provider.id].accountId}`).join(', ');
  const regions = cloud.providers.map((provider) => `${provider.id} ${provider.functions.defaultRegion}${provider.functions.namespaced ? '/default' : ''}`).join(', ');
  const exports = Object.entries(cloud.env).map(([name, value]) => `export ${name}=${value}`).join('\n');
  const origin = new URL(cloud.adminUrl).origin;
  return (
    `lakefn mock: cloud APIs on ${origin}, admin API on ${cloud.adminUrl}\n` +
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
