import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startProgressBar } from '../cli/progress/progress-bar.ts';
import { validateConnection } from '../credentials/index.ts';
import { createDuckDbSession } from '../duckdb/create-duckdb-session.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { ExecutionServices } from '../sql/execute-services.ts';
import { createUdfHook } from '../udf/create-udf-hook.ts';
import { type MockCloud, loadMockCloud } from '../registry/load-mock-cloud.ts';
import { type DemoProvider, demoProviders, demoQuerySql, demoTableSql } from './demo-plan.ts';
import { formatFirstRows, formatSummary, summarizeDemo, type DemoSummary } from './demo-report.ts';
import { setUpDemoCatalog } from './set-up-demo-catalog.ts';
import { DEFAULT_DEMO_ROWS } from './demo-defaults.ts';

export interface DemoOptions {
  /** State directory for the catalog. @default a temporary directory, removed afterwards */
  readonly home?: string | undefined;
  /** Rows generated in DuckDB. @default 100_000 */
  readonly rows?: number;
  /** Print only the summary as one JSON object. @default false */
  readonly json?: boolean;
  readonly stdout: NodeJS.WritableStream;
  /** Receives the progress bar (only when it is a TTY). */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** The caller's environment; the mock's endpoints and broker keys are laid over it. */
  readonly environment: Readonly<Record<string, string | undefined>>;
}

export interface DemoOutcome {
  readonly summary: DemoSummary;
  /** Wall time of the one query, prefetch included. */
  readonly queryMs: number;
  /** True when every result row of every provider was checked correct. */
  readonly allCorrect: boolean;
}

const FIRST_ROWS = 5;

/**
 * `lakefn demo`: starts the mock cloud in-process, sets up one API CONNECTION and EXTERNAL FUNCTION per provider
 * through the SQL executor (DESC, trust policy, VALIDATE), generates rows in DuckDB and runs one query calling a
 * function on each provider, then checks every result and reports per-function stats.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const rows = options.rows ?? DEFAULT_DEMO_ROWS;
  const narrate = options.json === true ? () => undefined : (text: string) => void options.stdout.write(text);
  const temporaryHome = options.home === undefined;
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'lakefn-demo-')));
  let mock: MockCloud | undefined;
  try {
    mock = await (await loadMockCloud()).MockCloud.start({ port: 0 });
    const providers = demoProviders(mock.providers.map((provider) => ({ provider: provider.id, region: provider.functions.defaultRegion })));
    // The demo's catalog is SQLite in `home`, whatever LAKEFN_STORE / LAKEFN_HOME say.
    const { LAKEFN_STORE: _store, LAKEFN_HOME: _home, ...inherited } = options.environment;
    const environment = { ...inherited, ...mock.env };
    narrate(`lakefn demo: mock cloud (${providers.map((provider) => provider.label).join(', ')} + their STS) on ${new URL(mock.adminUrl).origin}\n`);
    narrate(`catalog: ${join(home, 'lakefn.db')}\n`);
    const runtime = await createRuntime({ home, environment });
    try {
      const services: ExecutionServices = {
        store: runtime.store,
        environment,
        validateConnection: (connection) => validateConnection(connection, { adapterFor: (provider) => runtime.registry.adapterFor(provider), environment }),
        onConnectionChanged: (previous) => runtime.broker.invalidate(previous.id),
      };
      await setUpDemoCatalog(providers, mock, services, narrate);
      const hook = await createUdfHook({ store: runtime.store, dispatcher: runtime.dispatcher });
      const session = await createDuckDbSession({ hook });
      try {
        await session.query(demoTableSql(rows));
        narrate(`\n${rows.toLocaleString('en-US')} rows generated in DuckDB (table demo_rows). The query:\n${demoQuerySql(providers).replace(/^/gm, '  ')}\n\n`);
        const total = await distinctTupleCount(session, providers);
        // --json output is for machines: no bar even on a terminal
        const progress = options.json === true ? { stop: () => undefined } : startProgressBar({
          stream: options.stderr,
          label: 'query',
          read: () => {
            const stats = providers.map((provider) => hook.stats(provider.sqlFunction));
            return { rows: sum(stats.map((entry) => entry.rows)), retries: sum(stats.map((entry) => entry.retries)), throttles: sum(stats.map((entry) => entry.throttles)), total };
          },
        });
        const started = performance.now();
        let result;
        try {
          result = await session.query(demoQuerySql(providers), { queryId: 'lakefn-demo', user: 'demo' });
        } finally {
          progress.stop();
        }
        const queryMs = performance.now() - started;
        const summary = summarizeDemo(providers, result, (name) => hook.stats(name), queryMs);
        const allCorrect = providers.every((provider) => summary[provider.provider].correct === summary[provider.provider].rows);
        narrate(`first ${FIRST_ROWS} of ${result.rows.length.toLocaleString('en-US')} rows:\n${formatFirstRows(result, FIRST_ROWS)}\n`);
        narrate(`query: ${(queryMs / 1000).toFixed(2)} s; every result checked against its expected value:\n${formatSummary(providers, summary)}`);
        narrate(allCorrect ? 'all results correct.\n' : 'SOME RESULTS ARE WRONG (see the correct column).\n');
        return { summary, queryMs, allCorrect };
      } finally {
        await session.close();
      }
    } finally {
      await runtime.close();
    }
  } finally {
    await mock?.stop();
    if (temporaryHome) await rm(home, { recursive: true, force: true });
  }
}

/** What the dispatcher will be asked for: the distinct argument tuples per function (prefetch deduplicates). */
async function distinctTupleCount(session: Awaited<ReturnType<typeof createDuckDbSession>>, providers: readonly DemoProvider[]): Promise<number> {
  const terms = providers.map((provider) => `(SELECT count(*) FROM (SELECT DISTINCT ${provider.arguments} FROM demo_rows))`);
  const counted = await session.query(`SELECT ${terms.join(' + ')} AS n`);
  return Number(counted.rows[0]?.[0] ?? 0);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
