import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { ProviderName } from '../src/spec/provider-name.ts';
import type { AuthzResult } from './scenarios/authz.ts';
import type { DuckDbResult } from './scenarios/duckdb.ts';
import type { GoodputResult } from './scenarios/goodput.ts';
import type { GovernanceResult } from './scenarios/governance.ts';
import type { MemoryFigures } from './scenarios/memory.ts';
import type { NaiveResult } from './scenarios/naive.ts';
import type { GridResult } from './scenarios/throughput.ts';

export interface ProviderResults {
  readonly provider: ProviderName;
  readonly grid: GridResult[];
  readonly naive: NaiveResult[];
  readonly duckdb: DuckDbResult[];
  readonly memory: MemoryFigures | undefined;
  readonly goodput: GoodputResult[];
  readonly governance: GovernanceResult[];
  /** Wall time of each scenario for this provider. */
  readonly seconds: Readonly<Record<string, number>>;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly node: string;
  readonly date: string;
}

export interface BenchResults {
  readonly machine: MachineInfo;
  readonly mode: 'quick' | 'full';
  readonly durationSeconds: number;
  readonly method: string;
  readonly providers: ProviderResults[];
  /** Scenario 7, run once in the bench process. */
  readonly authz?: AuthzResult;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

const integer = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '–' : Math.round(value).toLocaleString('en-US'));
const ratio = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(2));
const milliseconds = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const megabytes = (bytes: number): string => (bytes / 1048576).toFixed(0);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column < 3 ? `-${'-'.repeat(width)}-` : `-${'-'.repeat(width)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The results as Markdown tables (printed by the bench and pasted into the README's Performance section). */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const sections: string[] = [
    `${results.mode} run, ${machine.date.slice(0, 10)}: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; mock cloud in a separate process on loopback; ${Math.round(results.durationSeconds)} s.`,
  ];
  const providers = results.providers;
  const gridRows = providers.flatMap((entry) =>
    entry.grid.map((point) => [
      entry.provider,
      String(point.batchRows),
      String(point.concurrency),
      integer(point.ceiling?.rowsPerSecond),
      integer(point.lakefn?.rowsPerSecond),
      integer(point.lakefn?.invocationsPerSecond),
      ratio(point.lakefnOverCeiling),
      [point.ceiling, point.lakefn, point.lakefnUndici].map((figures) => integer(figures?.cpuMicrosPerInvocation)).join(' / '),
      `${milliseconds(point.lakefn?.p50Ms)} / ${milliseconds(point.lakefn?.p99Ms)}`,
      integer(point.lakefnUndici?.rowsPerSecond),
      ratio(point.lakefnUndiciOverCeiling),
    ]),
  );
  if (gridRows.length > 0) {
    sections.push(
      '**1–2. lakefn `evaluate` vs the loopback ceiling.** Ceiling = raw undici POSTing the same bytes, pre-signed. CPU = client CPU µs per invocation (ceiling / lakefn / undici). ' +
        'p50 / p99 = lakefn batch latency. undici = experiment: lakefn with invocations signed and sent over undici instead of the vendor SDK.',
      table(['provider', 'batch', 'conc', 'ceiling rows/s', 'lakefn rows/s', 'lakefn inv/s', 'lakefn/ceiling', 'CPU µs/inv', 'p50 / p99 ms', 'undici rows/s', 'undici/ceiling'], gridRows),
    );
  }
  const naiveRows = providers.flatMap((entry) =>
    entry.naive.map((point) => [
      entry.provider,
      String(point.concurrency),
      '1 row',
      integer(point.naive.rowsPerSecond),
      integer(point.naive.cpuMicrosPerInvocation),
      `${milliseconds(point.naive.p50Ms)} / ${milliseconds(point.naive.p99Ms)}`,
      ratio(point.lakefnBatch1OverNaive),
      ratio(point.lakefnOverNaive),
    ]),
  );
  if (naiveRows.length > 0) {
    sections.push(
      '**3. Naive: one invocation per row through the same adapter**',
      table(['provider', 'conc', 'batch', 'naive rows/s', 'CPU µs/inv', 'p50 / p99 ms', 'lakefn b1/naive', 'lakefn b100/naive'], naiveRows),
    );
  }
  const duckRows = providers.flatMap((entry) =>
    entry.duckdb.map((point) => [
      entry.provider,
      `${point.latencyMs} ms`,
      point.mode,
      integer(point.rows),
      integer(point.rowsPerSecond),
      integer(point.evaluateRowsPerSecond),
      ratio(point.duckDbOverEvaluate),
    ]),
  );
  if (duckRows.length > 0) {
    sections.push(
      '**4. Through DuckDB** (`SELECT sum(length(f(x))) FROM range(N)`, batch 100, max concurrency 32; bridge = volatile UDF, prefetch = immutable)',
      table(['provider', 'latency', 'mode', 'rows', 'DuckDB rows/s', 'evaluate rows/s', 'DuckDB/evaluate'], duckRows),
    );
  }
  const memoryRows = providers.flatMap((entry) =>
    entry.memory === undefined
      ? []
      : [
          [
            entry.provider,
            integer(entry.memory.rows),
            '',
            integer(entry.memory.rowsPerSecond),
            megabytes(entry.memory.baselineRssBytes),
            `${megabytes(entry.memory.peakFirstHalfBytes)} / ${megabytes(entry.memory.peakSecondHalfBytes)}`,
            megabytes(entry.memory.rssGrowthBytes),
            `${megabytes(entry.memory.heapAfterGcBeforeBytes)} / ${megabytes(entry.memory.heapAfterGcAfterBytes)}`,
          ],
        ],
  );
  if (memoryRows.length > 0) {
    sections.push(
      '**5. Memory: streaming through `evaluateStream`** (fresh process, batch 1000, concurrency 32; RSS sampled every 50 ms; peak in the first / second half of the stream: similar peaks = memory bounded by the in-flight window, not by the input; heap after a full GC before / after the stream = what it retained)',
      table(['provider', 'rows', '', 'rows/s', 'baseline RSS MB', 'peak RSS MB 1st / 2nd half', 'growth MB', 'heap after GC MB'], memoryRows),
    );
  }
  const goodputRows = providers.flatMap((entry) =>
    entry.goodput.map((point) => [
      entry.provider,
      point.variant === 'default' ? `${Math.round(point.injected5xx * 100)} %` : `${Math.round(point.injected5xx * 100)} %, backoff 20 ms`,
      integer(point.rows),
      integer(point.rowsPerSecond),
      integer(point.capacityRowsPerSecond),
      ratio(point.goodput),
      integer(point.throttles),
      integer(point.retries),
      point.errorCode === undefined ? integer(point.failedRows) : `${integer(point.failedRows)} (${point.errorCode})`,
    ]),
  );
  if (goodputRows.length > 0) {
    sections.push(
      '**6. Throttling goodput** (mock function: concurrency limit 4, 20 ms; lakefn batch 100, max concurrency 16; capacity = 4 × 100 / 20 ms; "backoff 20 ms" = experiment: throttle backoff base of one latency instead of the default 500 ms, a Retry-After still wins)',
      table(['provider', '5xx injected', 'rows', 'rows/s', 'capacity', 'goodput', 'throttles', 'retries', 'failed rows'], goodputRows),
    );
  }
  const governanceRows = providers.flatMap((entry) =>
    entry.governance.map((point) => [
      entry.provider,
      `${point.batchRows} / ${point.concurrency}`,
      integer(point.rows),
      integer(point.ungovernedRowsPerSecond),
      integer(point.governedRowsPerSecond),
      ratio(point.ratio),
      `${integer(point.auditRecordsWritten)}${point.auditRecordsFailed === 0 ? '' : ` (${integer(point.auditRecordsFailed)} failed)`}`,
    ]),
  );
  if (governanceRows.length > 0) {
    sections.push(
      '**8. Governance overhead** (same dispatch workload; governed = an authenticated non-admin user with EXECUTE through a role, decided by the CallAuthorizer over a SQLite catalog (definer rights, version check before each batch), auditing on (INVOKE_SUMMARY per call); ratio = median of governed / ungoverned over alternating pairs; the bar is ≥ 0.95)',
      table(['provider', 'batch / concurrency', 'rows', 'ungoverned rows/s', 'governed rows/s', 'ratio', 'audit records'], governanceRows),
    );
  }
  const authz = results.authz;
  if (authz !== undefined) {
    const micros = (value: number): string => value.toFixed(2);
    sections.push(
      `**7. Authorization decision** (\`authorize\`: a user with ${authz.shape.roles} roles, ${authz.shape.policies} attached policies of ${authz.shape.statementsPerPolicy} statements, ${authz.shape.boundaries} boundaries; ` +
        'a mix ending at every step; each decision timed on its own. Baseline = the same minus `authorize`: building the resource name, context and input. ' +
        `Compiling the policies and boundaries once: ${authz.compileMs.toFixed(1)} ms; slowest request kind: ${authz.slowest.label}, p99 ${micros(authz.slowest.p99Micros)} µs. ` +
        `CPU = process CPU time per decision / per baseline over untimed loops; load = 1-minute load average at the start)`,
      table(
        ['decisions', 'p50 µs', 'p99 µs', 'mean µs', 'baseline p50 µs', 'baseline p99 µs', 'ratio p50', 'ratio p99', 'CPU µs', 'baseline CPU µs', 'load'],
        [
          [
            integer(authz.decisions),
            micros(authz.decision.p50Micros),
            micros(authz.decision.p99Micros),
            micros(authz.decision.meanMicros),
            micros(authz.baseline.p50Micros),
            micros(authz.baseline.p99Micros),
            ratio(authz.ratioP50),
            ratio(authz.ratioP99),
            micros(authz.cpuMicrosPerDecision),
            micros(authz.cpuMicrosPerBaseline),
            authz.loadAverage.toFixed(1),
          ],
        ],
      ),
    );
    const store = authz.store;
    if (store !== undefined) {
      sections.push(
        '**7b. Authorization through the real path** (`authorizeRequest` on the AccessModel a statement or call loads from a SQLite catalog with the same shape, ' +
          'created with CREATE POLICY, ATTACH POLICY and SET BOUNDARY; policies compiled once per catalog version; a mix of invoke with the owner\'s USAGE, list, explicit Deny, no Allow, no object privilege)',
        table(
          ['decisions', 'p50 µs', 'p99 µs', 'mean µs', 'CPU µs', 'model load ms (unchanged version)', 'model load ms (after a change)'],
          [[
            integer(store.decisions), micros(store.decision.p50Micros), micros(store.decision.p99Micros), micros(store.decision.meanMicros), micros(store.cpuMicrosPerDecision),
            store.modelLoadMs.toFixed(2), store.modelLoadAfterChangeMs.toFixed(2),
          ]],
        ),
      );
    }
  }
  return sections.join('\n\n');
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}
