import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DispatchEvent } from '../dispatcher/dispatcher-types.ts';
import type { UdfHook } from '../udf/udf-hook.ts';

/** Batch latency buckets (seconds): loopback mocks answer in ms, real providers in tens to hundreds of ms. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of `lakefn serve`, fed by the dispatcher's events; a registry of its own per server. */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly #unsubscribe: () => void;
  readonly #rows: Counter<'function' | 'connection'>;
  readonly #batches: Counter<'function' | 'connection'>;
  readonly #retries: Counter<'function' | 'connection' | 'cause'>;
  readonly #throttles: Counter<'function' | 'connection'>;
  readonly #failures: Counter<'function' | 'connection' | 'code'>;
  readonly #batchLatency: Histogram<'function' | 'connection'>;
  readonly #requests: Counter<'route' | 'status'>;
  readonly #requestDuration: Histogram<'route'>;

  constructor(hook: Pick<UdfHook, 'on' | 'stats' | 'auditStats'>) {
    const registers = [this.registry];
    /** Function name → its connection's name, for the per-connection gauge. */
    const seenFunctions = new Map<string, string>();
    this.#rows = new Counter({ name: 'lakefn_rows_total', help: 'Rows evaluated by completed batches', labelNames: ['function', 'connection'], registers });
    this.#batches = new Counter({ name: 'lakefn_batches_total', help: 'Batches completed (each may have taken several attempts)', labelNames: ['function', 'connection'], registers });
    this.#retries = new Counter({ name: 'lakefn_batch_retries_total', help: 'Batch attempts retried, by cause', labelNames: ['function', 'connection', 'cause'], registers });
    this.#throttles = new Counter({ name: 'lakefn_throttles_total', help: 'Invocation attempts the provider throttled (every one, as in the stats)', labelNames: ['function', 'connection'], registers });
    this.#failures = new Counter({ name: 'lakefn_batch_failures_total', help: 'Batches that failed, by error code', labelNames: ['function', 'connection', 'code'], registers });
    this.#batchLatency = new Histogram({ name: 'lakefn_batch_latency_seconds', help: 'Latency of completed batches, retries included', labelNames: ['function', 'connection'], buckets: LATENCY_BUCKETS, registers });
    this.#requests = new Counter({ name: 'lakefn_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'], registers });
    this.#requestDuration = new Histogram({ name: 'lakefn_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers });
    new Gauge({
      name: 'lakefn_function_concurrency',
      help: 'Current adaptive concurrency limit per function (AIMD)',
      labelNames: ['function'],
      registers,
      collect() {
        for (const name of seenFunctions.keys()) this.set({ function: name }, hook.stats(name).currentConcurrency);
      },
    });
    new Gauge({
      name: 'lakefn_connection_concurrency',
      help: 'Current adaptive concurrency limit per connection (AIMD shared by its functions)',
      labelNames: ['connection'],
      registers,
      collect() {
        for (const [name, connection] of seenFunctions) {
          const limit = hook.stats(name).connectionConcurrency;
          if (limit !== undefined) this.set({ connection }, limit);
        }
      },
    });
    // the audit log of calls: a record that could not be written is counted here (and logged with its content)
    const auditStats = hook.auditStats?.bind(hook);
    if (auditStats !== undefined) {
      new Counter({
        name: 'lakefn_audit_records_written_total',
        help: 'Call audit records (INVOKE_SUMMARY, INVOKE_ATTEMPT, denials) written to the audit log',
        registers,
        collect() {
          this.reset();
          this.inc(auditStats().written);
        },
      });
      new Counter({
        name: 'lakefn_audit_records_failed_total',
        help: 'Call audit records that could not be written (queue full or store error); each is logged whole',
        registers,
        collect() {
          this.reset();
          this.inc(auditStats().failed);
        },
      });
      new Gauge({ name: 'lakefn_audit_records_queued', help: 'Call audit records waiting to be written', registers, collect() {
        this.set(auditStats().queued);
      } });
    }
    this.#unsubscribe = hook.on((event) => {
      seenFunctions.set(event.function, event.connection);
      this.#record(event);
    });
  }

  #record(event: DispatchEvent): void {
    const labels = { function: event.function, connection: event.connection };
    switch (event.type) {
      case 'batch-end':
        this.#rows.inc(labels, event.rows);
        this.#batches.inc(labels);
        this.#batchLatency.observe(labels, event.latencyMs / 1000);
        break;
      case 'batch-retry':
        this.#retries.inc({ ...labels, cause: event.cause });
        break;
      case 'batch-throttled':
        this.#throttles.inc(labels);
        break;
      case 'batch-failed':
        this.#failures.inc({ ...labels, code: event.code });
        break;
    }
  }

  observeRequest(route: string, status: number, seconds: number): void {
    this.#requests.inc({ route, status: String(status) });
    this.#requestDuration.observe({ route }, seconds);
  }

  /** Stops listening to the hook. */
  close(): void {
    this.#unsubscribe();
  }
}
