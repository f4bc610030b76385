import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in percent.
 * @default V8 picks 10–300 % by itself, depending on how fast its collections are
 */
export const STREAMING_HEAP_GROWING_PERCENT = 50;

/**
 * Bounds heap growth for a long streaming `lakefn invoke --input`. Streaming keeps a small live set (a window
 * of batches), but every row passes through several short-lived objects that outlive a scavenge while their
 * batch is in flight, so they die in the old generation. With V8's default heuristics a fast collector
 * earns a growing factor of up to 4×, and 1,000,000 rows peaked at 190 MB of heap (45–60 MB live) and over
 * 300 MB RSS; at +50 % the heap follows the live set and the same run stays near 200–250 MB RSS, for more
 * frequent (still short) full collections. A process-wide setting: only the one-shot CLI process calls this.
 * `--max-old-space-size` would be the static alternative, but it turns an underestimate into an OOM crash.
 */
export function limitHeapGrowthForStreaming(): void {
  setFlagsFromString(`--heap-growing-percent=${STREAMING_HEAP_GROWING_PERCENT}`);
}
