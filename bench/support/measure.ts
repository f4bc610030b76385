import { performance } from 'node:perf_hooks';

/** Wall time and this process's CPU time (user + system, all threads) spent on one piece of work. */
export interface Measured<T> {
  readonly value: T;
  readonly elapsedMs: number;
  readonly cpuMs: number;
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const value = await work();
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Runs `task(0 … count-1)` with at most `concurrency` in flight (workers pulling the next index). */
export async function runPool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** The p-quantile (0–1) of ascending-sorted samples, nearest rank. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface RssSampler {
  /** The peak since the start or the previous `takePeak`, then starts a new period. */
  takePeak(): number;
  /** Stops sampling; the peak of the last period. */
  stop(): number;
}

/** Samples this process's RSS every `intervalMs` (and at each takePeak/stop) until stopped. */
export function sampleRss(intervalMs: number): RssSampler {
  let peakBytes = process.memoryUsage.rss();
  const sample = (): void => {
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  return {
    takePeak() {
      sample();
      const peak = peakBytes;
      peakBytes = process.memoryUsage.rss();
      return peak;
    },
    stop() {
      clearInterval(timer);
      sample();
      return peakBytes;
    },
  };
}

/** The rows every throughput scenario sends: one short VARCHAR per row (`v0`, `v1`, …). */
export function benchRows(count: number, offset = 0): string[][] {
  const rows = new Array<string[]>(count);
  for (let index = 0; index < count; index += 1) rows[index] = [`v${offset + index}`];
  return rows;
}

export function expectedUpper(row: readonly string[]): string {
  return row[0]!.toUpperCase();
}
