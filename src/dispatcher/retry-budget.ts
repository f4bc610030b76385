import { type LakefnError, expectInteger } from '../errors/index.ts';

export interface RetryBudgetOptions {
  /** Tokens in a full bucket. @default 500 */
  readonly capacity?: number;
  /** Tokens a retry costs. @default 5 */
  readonly retryCost?: number;
  /** Tokens a retry after a timeout costs (a timeout ties up the function longest). @default 10 */
  readonly timeoutRetryCost?: number;
  /**
   * Tokens a retry after a throttle costs. A throttle is a refusal before execution and adaptive concurrency
   * already paces the retries (it cuts the limit on every throttle), so a throttled batch waiting for its turn
   * must not hold the budget that guards against storms of real failures. @default 1
   */
  readonly throttleRetryCost?: number;
  /** Tokens a first-attempt success puts back. @default 1 */
  readonly successRefill?: number;
}

/**
 * The shared retry budget (smithy's retry quota): a token bucket that every retry draws from and every
 * success refills. While a provider is healthy it stays full; when most attempts fail it empties and
 * further retries fail fast with E_RETRY_EXHAUSTED instead of multiplying load (a retry storm).
 * One budget is shared by all calls of a dispatcher (and may be shared by several dispatchers).
 */
export class RetryBudget {
  readonly capacity: number;
  readonly #retryCost: number;
  readonly #timeoutRetryCost: number;
  readonly #throttleRetryCost: number;
  readonly #successRefill: number;
  #available: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.capacity = positiveInteger(options.capacity ?? 500, 'capacity');
    this.#retryCost = positiveInteger(options.retryCost ?? 5, 'retryCost');
    this.#timeoutRetryCost = positiveInteger(options.timeoutRetryCost ?? 10, 'timeoutRetryCost');
    this.#throttleRetryCost = positiveInteger(options.throttleRetryCost ?? 1, 'throttleRetryCost');
    this.#successRefill = positiveInteger(options.successRefill ?? 1, 'successRefill');
    this.#available = this.capacity;
  }

  get available(): number {
    return this.#available;
  }

  /** Takes the cost of retrying after `error`; returns the tokens taken, or 0 when the bucket cannot pay. */
  tryAcquire(error: LakefnError): number {
    const cost = error.code === 'E_TIMEOUT' ? this.#timeoutRetryCost : error.code === 'E_THROTTLED' ? this.#throttleRetryCost : this.#retryCost;
    if (this.#available < cost) return 0;
    this.#available -= cost;
    return cost;
  }

  /**
   * Records a successful attempt: a batch that succeeded after retries refunds what its retries took
   * (`spent`), a first-attempt success adds the small refill.
   */
  recordSuccess(spent: number): void {
    this.#available = Math.min(this.capacity, this.#available + (spent > 0 ? spent : this.#successRefill));
  }
}

function positiveInteger(value: number, name: string): number {
  return expectInteger(value, name, 1);
}
