import { once } from 'node:events';
import { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { environmentWithConfig, loadLakefnConfig } from '../../config/lakefn-config.ts';
import { resolveOidcSettings } from '../../config/oidc-settings.ts';
import { userPrincipal } from '../../governance/authenticated-principal.ts';
import { createAdminApi } from '../../serve/admin-api.ts';
import { resolveServeToken } from '../../serve/bearer-auth.ts';
import { CatalogAuthenticator } from '../../serve/request-authenticator.ts';
import { openCatalogStore } from '../../store/open-catalog-store.ts';
import { commandProject } from '../command-principal.ts';
import { createLazyProviderRegistry, createServices } from '../create-services.ts';
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

/** A user name no catalog user can have (':' is reserved): a call that names no principal is denied. */
const UNAUTHENTICATED = userPrincipal(':unauthenticated', 'token');

/** @default 8765 */
const DEFAULT_PORT = '8765';

/**
 * `lakefn serve`: the HTTP endpoint of the UDF hook for engines in other processes. Runs until SIGTERM/SIGINT,
 * then drains in-flight requests and exits 0.
 */
export function serveCommand(context: CliContext): Command {
  const command = new Command('serve')
    .description(
      'serve the UDF hook and the admin API over HTTP: POST /v1/functions/{name}/evaluate, /compat/{snowflake|bigquery|redshift}/{name}, ' +
        'POST /v1/sql, GET /v1/audit, GET /metrics, /healthz; every route but /healthz needs a bearer credential (API token, OIDC ID token, LAKEFN_SERVE_TOKEN)',
    )
    .option('--host <host>', 'interface to bind', '127.0.0.1')
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
      const token = resolveServeToken(context.environment['LAKEFN_SERVE_TOKEN']);
      if (common.as !== undefined) {
        throw new LakefnError('E_USAGE', '--as does not apply to lakefn serve: each request runs as the principal it authenticates as (API token, OIDC ID token, or LAKEFN_SERVE_TOKEN)');
      }
      const home = resolveHome(common.home, context.environment);
      const config = loadLakefnConfig(home);
      const oidcSettings = resolveOidcSettings(context.environment, config, home);
      // loaded on use: the vendor SDKs cost seconds of start-up that other commands must not pay
      const [{ createUdfHook }, { startServeServer }, { OidcVerifier }] = await Promise.all([
        import('../../udf/create-udf-hook.ts'), import('../../serve/create-serve-server.ts'), import('../../serve/oidc-verifier.ts'),
      ]);
      const oidc = oidcSettings === undefined ? undefined : new OidcVerifier(oidcSettings);
      const store = await openCatalogStore({ home: common.home, environment: context.environment });
      const providers = createLazyProviderRegistry(context.environment, config);
      try {
        // every request names its principal; a call that did not would run as no one and be denied (fail closed)
        const hook = await createUdfHook({
          store, environment: context.environment, principal: UNAUTHENTICATED, project: commandProject(context, self), log: (line) => context.stderr.write(`${line}\n`),
        });
        try {
          const services = createServices(store, { ...context, environment: environmentWithConfig(context.environment, config) }, providers, config);
          const server = await startServeServer({
            hook,
            host: options.host,
            port,
            maxBodyBytes,
            authenticator: new CatalogAuthenticator({ store, serveToken: token, oidc }),
            admin: createAdminApi(services),
            drainTimeoutMs,
            limits,
            localPaths: [home],
            log: (line) => context.stderr.write(`${line}\n`),
          });
          const methods = ['API tokens', ...(oidc === undefined ? [] : [`OIDC ID tokens from ${oidc.issuer}`]), ...(token === undefined ? [] : ['LAKEFN_SERVE_TOKEN'])];
          if (common.json === true) writeJson(context.stdout, { url: server.url, port: server.port, host: options.host, authentication: methods });
          else context.stdout.write(`lakefn serve: listening on ${server.url} (authentication: ${methods.join(', ')})\n`);
          const signal = await waitForStopSignal();
          context.stderr.write(`lakefn serve: ${signal}: draining ${server.inFlight} in-flight request(s)\n`);
          await server.close();
        } finally {
          await hook.close();
        }
      } finally {
        await providers.close();
        await store.close();
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
