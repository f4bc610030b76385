import { LakefnError } from '../src/errors/index.ts';

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

/** The clock every service of the mock runs on: a base clock skewed by a settable offset (`PUT /clock`). */
export interface SkewedClock extends MockClock {
  /** How far the mock's services run ahead of the base clock (negative: behind), in ms. */
  readonly offsetMs: number;
  setOffset(milliseconds: number): void;
}

/**
 * `base` skewed by an offset: what the services verify signatures and expire credentials against, and what their
 * answers' `Date` header says, so a client with a correct clock looks skewed by the offset to every cloud at once.
 */
export function createSkewedClock(base: MockClock): SkewedClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    get offsetMs() {
      return offset;
    },
    setOffset(milliseconds) {
      if (!Number.isSafeInteger(milliseconds)) throw new LakefnError('E_INVALID_ARGUMENT', 'the clock offset must be an integer number of milliseconds');
      offset = milliseconds;
    },
  };
}
