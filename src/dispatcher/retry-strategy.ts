import type { LakefnError } from '../errors/index.ts';

/** The resolved backoff settings of a dispatcher (see `RetryOptions` for the defaults). */
export interface BackoffSettings {
  readonly baseDelayMs: number;
  readonly throttleBaseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before the next attempt: exponential backoff with FULL jitter (a uniform draw in
 * [0, min(max, base·2^(n−1)))), which spreads synchronized retries best (AWS architecture blog
 * "Exponential Backoff And Jitter"). Throttling uses a larger base. A provider's Retry-After is a floor:
 * retrying earlier than the service asked only earns another throttle.
 *
 * A throttle from a concurrency quota clears as soon as one of the function's running invocations ends, about one
 * latency later, so the throttling base shrinks to two observed latencies (never below
 * MINIMUM_THROTTLE_BASE_MS, never above the configured base): waiting 500 ms in front of a 20 ms function halves
 * goodput (measured by `npm run bench`, goodput scenario), and the adaptive concurrency limit, not the delay,
 * is what takes the pressure off the quota.
 *
 * @param attempt the number of attempts made so far (≥ 1)
 * @param random a uniform draw in [0, 1) (injected so tests are deterministic)
 * @param observedLatencyMs the function's median attempt latency so far, when there is one
 */
export function computeRetryDelay(attempt: number, error: LakefnError, settings: BackoffSettings, random: () => number, observedLatencyMs?: number): number {
  const base = error.code === 'E_THROTTLED' ? throttleBase(settings.throttleBaseDelayMs, observedLatencyMs) : settings.baseDelayMs;
  const ceiling = Math.min(settings.maxDelayMs, base * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.floor(random() * ceiling);
  const floor = error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0 ? Math.ceil(error.retryAfterSeconds * 1000) : 0;
  return Math.max(floor, jittered);
}

/** The smallest throttling base: below it, retries of a very fast function would spin against the quota. */
export const MINIMUM_THROTTLE_BASE_MS = 10;

function throttleBase(configuredMs: number, observedLatencyMs: number | undefined): number {
  if (observedLatencyMs === undefined || observedLatencyMs <= 0) return configuredMs;
  // two latencies: the full-jitter draw then averages one latency, when a slot is likely to have freed
  return Math.min(configuredMs, Math.max(MINIMUM_THROTTLE_BASE_MS, 2 * observedLatencyMs));
}
