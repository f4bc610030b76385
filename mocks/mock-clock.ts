/**
 * The mock cloud's notion of "now" (milliseconds since the epoch). It decides when temporary credentials
 * expire and whether a request timestamp is skewed; delays (latency, cold start, `slow`) use real timers.
 */
export interface MockClock {
  now(): number;
}

/** A clock that only moves when told to, for expiring credentials and skewing timestamps in tests. */
export interface ManualClock extends MockClock {
  /** Moves the clock forward (or backward, with a negative value) by `milliseconds`. */
  advance(milliseconds: number): void;
  /** Sets the clock to an absolute time (milliseconds since the epoch). */
  set(milliseconds: number): void;
}

/** The wall clock. */
export const systemClock: MockClock = { now: () => Date.now() };

/**
 * A manual clock starting at `start`.
 * @default start = Date.now()
 */
export function createManualClock(start: number | Date = Date.now()): ManualClock {
  let current = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    set(milliseconds) {
      current = milliseconds;
    },
  };
}
