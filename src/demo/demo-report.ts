import { formatTable } from '../cli/output/format-table.ts';
import type { QueryResult } from '../duckdb/create-duckdb-session.ts';
import { formatQueryResult } from '../duckdb/format-query-result.ts';
import type { DispatchStats } from '../dispatcher/dispatcher-types.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { DemoProvider, DemoRow } from './demo-plan.ts';

/** What `lakefn demo --json` prints per provider. */
export interface DemoProviderSummary {
  readonly function: string;
  readonly connection: string;
  /** Result rows of the query for this function. */
  readonly rows: number;
  /** Rows whose result was checked equal to the expected value. */
  readonly correct: number;
  readonly batches: number;
  readonly retries: number;
  readonly throttles: number;
  /** `rows` over the query's wall time. */
  readonly rows_per_second: number;
}

export type DemoSummary = Readonly<Record<ProviderName, DemoProviderSummary>>;

/** Checks every result against the expected value and combines the counts with the dispatcher's stats. */
export function summarizeDemo(providers: readonly DemoProvider[], result: QueryResult, statsOf: (functionName: string) => DispatchStats, elapsedMs: number): DemoSummary {
  const column = (name: string): number => {
    const index = result.columns.findIndex((candidate) => candidate.name === name);
    if (index === -1) throw new Error(`demo: column ${name} missing from the result`);
    return index;
  };
  const [id, name, a, b] = [column('id'), column('name'), column('a'), column('b')];
  const entries = providers.map((provider) => {
    const resultColumn = column(provider.sqlFunction);
    let correct = 0;
    for (const row of result.rows) {
      const demoRow = { id: row[id], name: row[name], a: row[a], b: row[b] } as DemoRow;
      if (row[resultColumn] === provider.expected(demoRow)) correct += 1;
    }
    const stats = statsOf(provider.sqlFunction);
    const summary: DemoProviderSummary = {
      function: provider.sqlFunction,
      connection: provider.connection,
      rows: result.rows.length,
      correct,
      batches: stats.batches,
      retries: stats.retries,
      throttles: stats.throttles,
      rows_per_second: elapsedMs > 0 ? Math.round((result.rows.length * 1000) / elapsedMs) : 0,
    };
    return [provider.provider, summary] as const;
  });
  return Object.fromEntries(entries) as Record<ProviderName, DemoProviderSummary>;
}

/** The first rows of the query result as an aligned table. */
export function formatFirstRows(result: QueryResult, count: number): string {
  return formatQueryResult({ ...result, rows: result.rows.slice(0, count) }, 'table');
}

/** The per-function summary table. */
export function formatSummary(providers: readonly DemoProvider[], summary: DemoSummary): string {
  const rows = providers.map((provider) => {
    const entry = summary[provider.provider];
    return [provider.provider, entry.function, entry.rows, entry.correct, entry.batches, entry.retries, entry.throttles, entry.rows_per_second];
  });
  return formatTable(['provider', 'function', 'rows', 'correct', 'batches', 'retries', 'throttles', 'rows/s'], rows);
}
