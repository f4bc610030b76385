import { once } from 'node:events';
import { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { resolveServeToken } from '../../serve/bearer-auth.ts';
import { SERVE_LIMIT_DEFAULTS } from '../../serve/serve-limits.ts';
import { resolveHome } from '../../store/open-catalog-store.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';

interface ServeOptions {
  readonly host: string;
  readonly port: string;
  readonly maxBodyBytes: string;
  readonly drainTimeoutMs: string;
  readonly headersTimeoutMs: string;
  readonly requestTimeoutMs: string;
  readonly maxConnections: string;
}

/** @default 8765 */
const DEFAULT_PORT = '8765';

/**
 * `lakefn serve`: the HTTP endpoint of the UDF hook for engines in other processes. Runs until SIGTERM/SIGINT,
 * then drains in-flight requests and exits 0.
 */
export function serveCommand(context: CliContext): Command {
  const command = new Command('serve')
    .description('serve the UDF hook over HTTP: POST /v1/functions/{name}/evaluate, /compat/{snowflake|bigquery|redshift}/{name}, GET /metrics, /healthz')
    .option('--host <host>', 'interface to bind; anything but loopback requires LAKEFN_SERVE_TOKEN', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', DEFAULT_PORT)
    .option('--max-body-bytes <bytes>', 'largest request body accepted (larger: 413)', String(16 * 1024 * 1024))
    .option('--drain-timeout-ms <ms>', 'how long shutdown waits for in-flight requests', '30000')
    .option('--headers-timeout-ms <ms>', 'time a client has to send the request headers (then 408)', String(SERVE_LIMIT_DEFAULTS.headersTimeoutMs))
    .option('--request-timeout-ms <ms>', 'time a client has to send the whole request, body included (then 408); not the time to answer it', String(SERVE_LIMIT_DEFAULTS.requestTimeoutMs))
    .option('--max-connections <n>', 'open connections at most; one beyond is closed at once', String(SERVE_LIMIT_DEFAULTS.maxConnections))
    .action(async (options: ServeOptions, self: Command) => {
      const common = globalOptions(self);
      const port = integerOption(options.port, '--port', 0, 65_535);
      const maxBodyBytes = integerOption(options.maxBodyBytes, '--max-body-bytes', 1, 2 ** 31 - 1);
      const drainTimeoutMs = integerOption(options.drainTimeoutMs, '--drain-timeout-ms', 0, 3_600_000);
      const limits = {
        headersTimeoutMs: integerOption(options.headersTimeoutMs, '--headers-timeout-ms', 1, 3_600_000),
        requestTimeoutMs: integerOption(options.requestTimeoutMs, '--request-timeout-ms', 1, 3_600_000),
        maxConnections: integerOption(options.maxConnections, '--max-connections', 1, 1_000_000),
      };
      const token = resolveServeToken(options.host, context.environment['LAKEFN_SERVE_TOKEN']);
      // loaded on use: the vendor SDKs cost seconds of start-up that other commands must not pay
      const [{ createUdfHook }, { startServeServer }] = await Promise.all([import('../../udf/create-udf-hook.ts'), import('../../serve/create-serve-server.ts')]);
      const hook = await createUdfHook({ home: common.home, environment: context.environment });
      try {
        const server = await startServeServer({
          hook,
          host: options.host,
          port,
          maxBodyBytes,
          token,
          drainTimeoutMs,
          limits,
          localPaths: [resolveHome(common.home, context.environment)],
          log: (line) => context.stderr.write(`${line}\n`),
        });
        if (common.json === true) writeJson(context.stdout, { url: server.url, port: server.port, host: options.host, authentication: token === undefined ? 'none' : 'bearer' });
        else context.stdout.write(`lakefn serve: listening on ${server.url}${token === undefined ? '' : ' (bearer token required)'}\n`);
        const signal = await waitForStopSignal();
        context.stderr.write(`lakefn serve: ${signal}: draining ${server.inFlight} in-flight request(s)\n`);
        await server.close();
      } finally {
        await hook.close();
      }
    });
  return describeJsonOutput(command, 'the listening address as one JSON object');
}

/** Resolves with the first of SIGTERM / SIGINT, removing both listeners. */
async function waitForStopSignal(): Promise<string> {
  const stop = new AbortController();
  const signals = ['SIGTERM', 'SIGINT'].map((name) => once(process, name, { signal: stop.signal }).then(() => name));
  try {
    return await Promise.race(signals);
  } finally {
    stop.abort();
    await Promise.allSettled(signals);
  }
}

function integerOption(text: string, flag: string, minimum: number, maximum: number): number {
  const value = Number(text);
  if (!/^\d{1,10}$/.test(text) || value < minimum || value > maximum) throw new LakefnError('E_USAGE', `${flag} must be an integer from ${minimum} to ${maximum}, got '${text.slice(0, 20)}'`);
  return value;
}
