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

/** Samples this process's RSS every `intervalMs` until stopped; reports the peak. */
export function sampleRss(intervalMs: number): { stop(): { peakBytes: number; samples: number } } {
  let peakBytes = process.memoryUsage.rss();
  let samples = 1;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    samples += 1;
    if (rss > peakBytes) peakBytes = rss;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const rss = process.memoryUsage.rss();
      return { peakBytes: Math.max(peakBytes, rss), samples: samples + 1 };
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
