import type { LatencySummary } from './dispatcher-types.ts';

/** Relative width of a bucket: quantiles are exact to within ±1 %. */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
/** Latencies below this many ms share bucket 0 (sub-10 µs differences do not matter here). */
const MINIMUM_MS = 0.01;
/** Values above ~28 hours land in the last bucket; the histogram never grows past this many buckets. */
const BUCKET_COUNT = Math.ceil(Math.log(1e8 / MINIMUM_MS) / LOG_GAMMA) + 1;

/**
 * A mergeable log-bucketed latency histogram (DDSketch-style): fixed memory (~1,200 counters) whatever the
 * number of samples, so the hot path never keeps an unbounded array of latencies.
 */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKET_COUNT);
  #total = 0;

  record(milliseconds: number): void {
    this.#counts[bucketOf(milliseconds)]! += 1;
    this.#total += 1;
  }

  /** Adds another histogram's samples to this one (for cumulative stats across functions). */
  mergeFrom(other: LatencyHistogram): void {
    const counts = other.#counts;
    for (let index = 0; index < BUCKET_COUNT; index += 1) {
      const count = counts[index]!;
      if (count !== 0) this.#counts[index]! += count;
    }
    this.#total += other.#total;
  }

  get count(): number {
    return this.#total;
  }

  /** The non-empty buckets as [bucket, count] pairs: a compact form to store (audit summaries) and merge later. */
  sparseCounts(): [number, number][] {
    const pairs: [number, number][] = [];
    for (let index = 0; index < BUCKET_COUNT; index += 1) {
      const count = this.#counts[index]!;
      if (count !== 0) pairs.push([index, count]);
    }
    return pairs;
  }

  /** Adds counts in the `sparseCounts` form (pairs out of range or not positive integers are ignored). */
  addSparseCounts(pairs: readonly (readonly [number, number])[]): void {
    for (const [index, count] of pairs) {
      if (!Number.isInteger(index) || index < 0 || index >= BUCKET_COUNT || !Number.isSafeInteger(count) || count <= 0) continue;
      this.#counts[index]! += count;
      this.#total += count;
    }
  }

  /** The mean in ms, from the buckets' representative values (within the buckets' ±1 %), or 0 with no samples. */
  mean(): number {
    if (this.#total === 0) return 0;
    let sum = 0;
    for (let index = 0; index < BUCKET_COUNT; index += 1) {
      const count = this.#counts[index]!;
      if (count !== 0) sum += count * valueOf(index);
    }
    return Math.round((sum / this.#total) * 100) / 100;
  }

  /** The q-quantile (0 < q ≤ 1) in ms, or 0 with no samples. */
  quantile(q: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index += 1) {
      seen += this.#counts[index]!;
      if (seen >= rank) return valueOf(index);
    }
    return valueOf(BUCKET_COUNT - 1);
  }

  summary(): LatencySummary {
    return { p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99) };
  }
}

function bucketOf(milliseconds: number): number {
  if (!(milliseconds > MINIMUM_MS)) return 0;
  return Math.min(BUCKET_COUNT - 1, Math.ceil(Math.log(milliseconds / MINIMUM_MS) / LOG_GAMMA));
}

/** The bucket's representative value (the midpoint in relative terms), rounded to 0.01 ms. */
function valueOf(index: number): number {
  if (index === 0) return 0;
  const upper = MINIMUM_MS * GAMMA ** index;
  return Math.round(((2 * upper) / (GAMMA + 1)) * 100) / 100;
}
