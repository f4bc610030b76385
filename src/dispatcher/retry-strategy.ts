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
 * @param attempt the number of attempts made so far (≥ 1)
 * @param random a uniform draw in [0, 1) (injected so tests are deterministic)
 */
export function computeRetryDelay(attempt: number, error: LakefnError, settings: BackoffSettings, random: () => number): number {
  const base = error.code === 'E_THROTTLED' ? settings.throttleBaseDelayMs : settings.baseDelayMs;
  const ceiling = Math.min(settings.maxDelayMs, base * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.floor(random() * ceiling);
  const floor = error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0 ? Math.ceil(error.retryAfterSeconds * 1000) : 0;
  return Math.max(floor, jittered);
}
