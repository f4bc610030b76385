import type { DispatchStats } from './dispatcher-types.ts';
import { LatencyHistogram } from './latency-histogram.ts';

/** The adaptive limits a collector reports, read when a snapshot is taken. */
export interface ConcurrencyReading {
  /** The function's limit on its connection. */
  readonly function: number;
  /** The limit of the function's connection (shared by its functions). */
  readonly connection: number;
  /** Identifies the connection, so that cumulative stats count each connection once. */
  readonly connectionId: string;
}

/** The reading of a collector that has no lane (no call yet). */
export const NO_CONCURRENCY: ConcurrencyReading = Object.freeze({ function: 0, connection: 0, connectionId: '' });

/**
 * Counters for one call or one function. A call's collector forwards every update to its function's
 * collector (`parent`), so cumulative stats are maintained without a second pass.
 */
export class StatsCollector {
  readonly #parent: StatsCollector | undefined;
  readonly #concurrency: () => ConcurrencyReading;
  rows = 0;
  batches = 0;
  bytesOut = 0;
  bytesIn = 0;
  attempts = 0;
  retries = 0;
  readonly retriesByCause = new Map<string, number>();
  throttles = 0;
  rowErrors = 0;
  nullSkipped = 0;
  dedupSaved = 0;
  failedBatches = 0;
  readonly latency = new LatencyHistogram();

  /** `concurrency` reads the current adaptive limits when a snapshot is taken. */
  constructor(concurrency: () => ConcurrencyReading, parent?: StatsCollector) {
    this.#concurrency = concurrency;
    this.#parent = parent;
  }

  recordAttempt(bytesOut: number): void {
    this.attempts += 1;
    this.bytesOut += bytesOut;
    this.#parent?.recordAttempt(bytesOut);
  }

  /** An attempt ended (reply or error): its latency. */
  recordLatency(latencyMs: number): void {
    this.latency.record(latencyMs);
    this.#parent?.recordLatency(latencyMs);
  }

  recordBytesIn(bytesIn: number): void {
    this.bytesIn += bytesIn;
    this.#parent?.recordBytesIn(bytesIn);
  }

  recordRetry(cause: string): void {
    this.retries += 1;
    this.retriesByCause.set(cause, (this.retriesByCause.get(cause) ?? 0) + 1);
    this.#parent?.recordRetry(cause);
  }

  recordThrottle(): void {
    this.throttles += 1;
    this.#parent?.recordThrottle();
  }

  /** An invocation whose reply was accepted (a split batch counts once per half sent). */
  recordBatchDone(): void {
    this.batches += 1;
    this.#parent?.recordBatchDone();
  }

  /** Input rows whose results are all in place, including NULL-skipped and deduplicated ones. */
  recordRowsDone(rows: number): void {
    this.rows += rows;
    this.#parent?.recordRowsDone(rows);
  }

  recordBatchFailed(): void {
    this.failedBatches += 1;
    this.#parent?.recordBatchFailed();
  }

  recordRowErrors(count: number): void {
    this.rowErrors += count;
    this.#parent?.recordRowErrors(count);
  }

  recordNullSkipped(count: number): void {
    this.nullSkipped += count;
    this.#parent?.recordNullSkipped(count);
  }

  recordDedupSaved(count: number): void {
    this.dedupSaved += count;
    this.#parent?.recordDedupSaved(count);
  }

  /** The adaptive concurrency limits right now. */
  get concurrency(): ConcurrencyReading {
    return this.#concurrency();
  }

  snapshot(): DispatchStats {
    const reading = this.#concurrency();
    return snapshotOf(this, reading.function, reading.connection, this.latency);
  }
}

/**
 * Sums several collectors (cumulative stats over all functions); concurrency is the sum of the functions'
 * current limits, connection concurrency the sum of their connections' limits (each connection once).
 */
export function mergeStats(collectors: Iterable<StatsCollector>): DispatchStats {
  const total = new StatsCollector(() => NO_CONCURRENCY);
  let concurrency = 0;
  const connections = new Map<string, number>();
  for (const collector of collectors) {
    total.rows += collector.rows;
    total.batches += collector.batches;
    total.bytesOut += collector.bytesOut;
    total.bytesIn += collector.bytesIn;
    total.attempts += collector.attempts;
    total.retries += collector.retries;
    for (const [cause, count] of collector.retriesByCause) total.retriesByCause.set(cause, (total.retriesByCause.get(cause) ?? 0) + count);
    total.throttles += collector.throttles;
    total.rowErrors += collector.rowErrors;
    total.nullSkipped += collector.nullSkipped;
    total.dedupSaved += collector.dedupSaved;
    total.failedBatches += collector.failedBatches;
    total.latency.mergeFrom(collector.latency);
    const reading = collector.concurrency;
    concurrency += reading.function;
    connections.set(reading.connectionId, reading.connection);
  }
  let connectionConcurrency = 0;
  for (const limit of connections.values()) connectionConcurrency += limit;
  return snapshotOf(total, concurrency, connectionConcurrency, total.latency);
}

function snapshotOf(collector: StatsCollector, currentConcurrency: number, connectionConcurrency: number, latency: LatencyHistogram): DispatchStats {
  return {
    rows: collector.rows,
    batches: collector.batches,
    bytesOut: collector.bytesOut,
    bytesIn: collector.bytesIn,
    attempts: collector.attempts,
    retries: collector.retries,
    retriesByCause: Object.fromEntries([...collector.retriesByCause].sort(([left], [right]) => left.localeCompare(right))),
    throttles: collector.throttles,
    rowErrors: collector.rowErrors,
    nullSkipped: collector.nullSkipped,
    dedupSaved: collector.dedupSaved,
    failedBatches: collector.failedBatches,
    currentConcurrency,
    connectionConcurrency,
    latencyMs: latency.summary(),
  };
}
