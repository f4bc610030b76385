import type { DispatchStats } from '../../dispatcher/dispatcher-types.ts';
import { formatKeyValues } from '../output/format-key-values.ts';

export interface InvokeSummary {
  readonly function: string;
  readonly rows: number;
  readonly elapsedMs: number;
  readonly output: string;
  readonly stats: DispatchStats;
}

/** The `--json` document: snake_case keys like the rest of the CLI's machine output. */
export function invokeSummaryJson(summary: InvokeSummary): Record<string, unknown> {
  const { stats } = summary;
  return {
    function: summary.function,
    rows: summary.rows,
    elapsed_ms: Math.round(summary.elapsedMs),
    rows_per_second: rowsPerSecond(summary),
    output: summary.output,
    stats: {
      rows: stats.rows,
      batches: stats.batches,
      attempts: stats.attempts,
      retries: stats.retries,
      retries_by_cause: stats.retriesByCause,
      throttles: stats.throttles,
      bytes_out: stats.bytesOut,
      bytes_in: stats.bytesIn,
      row_errors: stats.rowErrors,
      null_skipped: stats.nullSkipped,
      dedup_saved: stats.dedupSaved,
      failed_batches: stats.failedBatches,
      current_concurrency: stats.currentConcurrency,
      ...(stats.connectionConcurrency === undefined ? {} : { connection_concurrency: stats.connectionConcurrency }),
      latency_ms: stats.latencyMs,
    },
  };
}

/** The human stats table printed on stderr at the end of `lakefn invoke`. */
export function formatInvokeSummary(summary: InvokeSummary): string {
  const { stats } = summary;
  const causes = Object.entries(stats.retriesByCause).map(([cause, count]) => `${cause} ${grouped(count)}`);
  const { p50, p95, p99 } = stats.latencyMs;
  return formatKeyValues([
    ['function', summary.function],
    ['rows', grouped(summary.rows)],
    ['elapsed', `${(summary.elapsedMs / 1000).toFixed(2)} s (${grouped(rowsPerSecond(summary))} rows/s)`],
    ['batches', grouped(stats.batches)],
    ['attempts', grouped(stats.attempts)],
    ['retries', causes.length === 0 ? grouped(stats.retries) : `${grouped(stats.retries)} (${causes.join(', ')})`],
    ['throttles', grouped(stats.throttles)],
    ['bytes out / in', `${bytes(stats.bytesOut)} / ${bytes(stats.bytesIn)}`],
    ['row errors', grouped(stats.rowErrors)],
    ['null skipped', grouped(stats.nullSkipped)],
    ['dedup saved', grouped(stats.dedupSaved)],
    ['concurrency', stats.connectionConcurrency === undefined ? grouped(stats.currentConcurrency) : `${grouped(stats.currentConcurrency)} (connection ${grouped(stats.connectionConcurrency)})`],
    ['latency p50/p95/p99', `${p50} / ${p95} / ${p99} ms`],
  ]);
}

function rowsPerSecond(summary: InvokeSummary): number {
  return summary.elapsedMs > 0 ? Math.round((summary.rows * 1000) / summary.elapsedMs) : 0;
}

function grouped(value: number): string {
  return value.toLocaleString('en-US');
}

function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / (1024 * 1024)).toFixed(1)} MiB`;
}
