import { toLakefnError } from '../errors/index.ts';
import type { AuditEvent } from '../store/audit-log.ts';
import type { CatalogStore } from '../store/catalog-store.ts';

export interface AuditWriterOptions {
  /** Records waiting at most; beyond it a record is refused (counted as failed, and logged). @default 10_000 */
  readonly capacity?: number;
  /** How often queued records are written. @default 250 */
  readonly flushIntervalMs?: number;
  /** Records per write transaction. @default 500 */
  readonly batchSize?: number;
  /** Where a record that cannot be written is logged (one line per record, with the record itself). @default stderr */
  readonly log?: (line: string) => void;
}

/** Counters for `/metrics`. */
export interface AuditWriterStats {
  readonly written: number;
  readonly failed: number;
  readonly queued: number;
}

/**
 * Writes the audit records of calls (INVOKE_SUMMARY, INVOKE_ATTEMPT, denied calls) off the hot path: `enqueue` costs an
 * array push; a timer (unref'd) writes what is queued in one write transaction at a time. The queue is bounded: when
 * it is full, or when a write fails, the records are counted as failed (`/metrics`) and logged whole (one JSON line
 * each), so none is ever dropped without a trace. `flush` writes what is queued now; `close` (called by the runtime's
 * close, which `lakefn serve`, `invoke` and `query` reach on SIGTERM) flushes and stops.
 */
export class AuditWriter {
  readonly #store: CatalogStore;
  readonly #capacity: number;
  readonly #batchSize: number;
  readonly #log: (line: string) => void;
  readonly #timer: NodeJS.Timeout;
  #queue: AuditEvent[] = [];
  #writing: Promise<void> = Promise.resolve();
  #written = 0;
  #failed = 0;
  #closed = false;

  constructor(store: CatalogStore, options: AuditWriterOptions = {}) {
    this.#store = store;
    this.#capacity = options.capacity ?? 10_000;
    this.#batchSize = options.batchSize ?? 500;
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 250);
    this.#timer.unref();
  }

  enqueue(event: AuditEvent): void {
    if (this.#closed || this.#queue.length >= this.#capacity) {
      this.#lost([event], this.#closed ? 'the audit writer is closed' : `the audit queue is full (${this.#capacity} records waiting)`);
      return;
    }
    this.#queue.push(event);
    if (this.#queue.length >= this.#batchSize) void this.flush();
  }

  /** Writes every record queued now (and waits for writes already under way). */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#drain());
    return this.#writing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    this.#closed = true;
  }

  stats(): AuditWriterStats {
    return { written: this.#written, failed: this.#failed, queued: this.#queue.length };
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#batchSize);
      try {
        await this.#store.write((session) => session.audit.append(batch));
        this.#written += batch.length;
      } catch (error) {
        this.#lost(batch, toLakefnError(error).message);
      }
    }
  }

  #lost(events: readonly AuditEvent[], reason: string): void {
    this.#failed += events.length;
    for (const event of events) this.#log(`lakefn: audit record not written (${reason}): ${JSON.stringify(event)}`);
  }
}
