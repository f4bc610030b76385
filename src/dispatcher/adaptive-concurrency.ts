/** Issued when an attempt starts; handed back when it ends so the limiter can tell old news from new. */
export interface AttemptTicket {
  /** The limiter's decrease count when the attempt was sent. */
  readonly epoch: number;
  /** Sent when no attempt from before the last decrease was still in flight. */
  readonly clean: boolean;
}

export type AttemptOutcome = 'success' | 'throttled' | 'other';

/** Above the last level that throttled, grow this many times slower than below it. */
const PROBE_SLOWDOWN = 8;

/**
 * AIMD concurrency limit of one function on one connection, or of one connection (TCP congestion
 * avoidance applied to a cloud function's or an account's concurrency quota). Throttling halves the limit;
 * each success adds 1/limit, i.e. +1 per window of `limit` completed attempts, up to `max`.
 *
 * A throttle cuts at most once per window, and only if the throttled attempt was sent after the
 * previous cut took effect: an attempt sent before the cut (older `epoch`), or while attempts from
 * before the cut were still running (not `clean`), reports overload that the cut already answered.
 * Without this rule one burst of N throttled replies would divide the limit by 2^N.
 *
 * After a throttle the limit remembers the highest level that did not throttle (`safeLevel`): it grows
 * back to it quickly, then probes above it slowly, and a failed probe falls back to that level instead
 * of halving. A steady quota is thus held near capacity with a rare probe instead of a saw-tooth.
 */
export class AdaptiveConcurrency {
  #max: number;
  #limit: number;
  #safeLevel: number;
  #epoch = 0;
  #inFlight = 0;
  /** Attempts sent before the last cut that are still in flight. */
  #draining = 0;
  readonly #onChange: (limit: number) => void;

  /** `onChange` receives the new integer limit whenever it changes (to resize the queue). */
  constructor(max: number, onChange: (limit: number) => void) {
    this.#max = max;
    this.#limit = max;
    this.#safeLevel = max;
    this.#onChange = onChange;
  }

  /** The current integer limit (≥ 1). */
  get limit(): number {
    return Math.max(1, Math.floor(this.#limit));
  }

  get max(): number {
    return this.#max;
  }

  /** A new configured maximum (the function was replaced, or options changed). */
  setMax(max: number): void {
    if (max === this.#max) return;
    const before = this.limit;
    this.#max = max;
    this.#limit = Math.max(1, Math.min(this.#limit, max));
    this.#safeLevel = Math.min(this.#safeLevel, max);
    if (this.limit !== before) this.#onChange(this.limit);
  }

  beginAttempt(): AttemptTicket {
    this.#inFlight += 1;
    return { epoch: this.#epoch, clean: this.#draining === 0 };
  }

  /** Ends an attempt; returns true when this throttle cut the limit. Every ticket must end exactly once. */
  endAttempt(ticket: AttemptTicket, outcome: AttemptOutcome): boolean {
    this.#inFlight -= 1;
    if (ticket.epoch !== this.#epoch && this.#draining > 0) this.#draining -= 1;
    if (outcome === 'success') this.#grow();
    return outcome === 'throttled' && this.#cut(ticket);
  }

  #grow(): void {
    if (this.#limit >= this.#max) return;
    const before = this.limit;
    const step = this.#limit < this.#safeLevel ? 1 / before : 1 / (before * PROBE_SLOWDOWN);
    this.#limit = Math.min(this.#max, this.#limit + step);
    if (this.limit !== before) this.#onChange(this.limit);
  }

  #cut(ticket: AttemptTicket): boolean {
    if (ticket.epoch !== this.#epoch || !ticket.clean) return false;
    const before = this.limit;
    if (before > this.#safeLevel) {
      // a probe above the last safe level failed: that level is still the best estimate of capacity
      this.#limit = this.#safeLevel;
    } else {
      this.#safeLevel = Math.max(1, before - 1);
      this.#limit = Math.max(1, before / 2);
    }
    this.#epoch += 1;
    this.#draining = this.#inFlight;
    if (this.limit !== before) this.#onChange(this.limit);
    return true;
  }
}
