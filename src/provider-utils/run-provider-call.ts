import { performance } from 'node:perf_hooks';
import { type HttpExchange, emptyHttpExchange, withHttpExchange } from './http-exchange.ts';

/** Why a call was cut short by lakefn itself: its own timeout, or the caller's abort signal. */
export type DeadlineOutcome = 'timeout' | 'aborted';

export type ProviderCallOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly exchange: HttpExchange; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly error: unknown;
      readonly exchange: HttpExchange;
      readonly durationMs: number;
      /** Set when lakefn's deadline ended the call (then `error` is not the SDK's). */
      readonly deadline: DeadlineOutcome | undefined;
    };

export interface ProviderCallOptions {
  readonly timeoutMs: number;
  readonly abortSignal?: AbortSignal | undefined;
  /** An answer declaring a longer body is cut off before it is read (`exchange.replyTooLarge`). @default no limit */
  readonly maxResponseBytes?: number | undefined;
}

/**
 * Runs one SDK call under lakefn's deadline and never rejects. When the timeout fires or the caller
 * aborts, the outcome is settled at once, the signal given to `call` is aborted (for SDKs that take
 * one) and the SDK's HTTP request is destroyed, so a hung server never holds a socket or a caller.
 * Everything `call` sends is recorded in the outcome's `exchange` (status, headers, socket error code).
 */
export function runProviderCall<T>(options: ProviderCallOptions, call: (signal: AbortSignal) => Promise<T>): Promise<ProviderCallOutcome<T>> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const controller = new AbortController();
  const { abortSignal } = options;
  if (abortSignal?.aborted === true) {
    const exchange: HttpExchange = emptyHttpExchange();
    return Promise.resolve({ ok: false, error: abortSignal.reason as unknown, exchange, durationMs: 0, deadline: 'aborted' });
  }
  let replyTooLarge = (): void => undefined;
  const { exchange, result } = withHttpExchange(() => call(controller.signal), options.maxResponseBytes, () => replyTooLarge());
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ProviderCallOutcome<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abortSignal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const cutShort = (deadline: DeadlineOutcome): void => {
      if (settled) return;
      const error = new Error(deadline === 'timeout' ? `no answer within ${options.timeoutMs} ms` : 'aborted by the caller');
      error.name = deadline === 'timeout' ? 'TimeoutError' : 'AbortError';
      settle({ ok: false, error, exchange, durationMs: elapsed(), deadline });
      controller.abort(error);
      exchange.request?.destroy();
    };
    const onAbort = (): void => cutShort('aborted');
    // the exchange cut off an answer above maxResponseBytes: settle now (exchange.replyTooLarge says why)
    replyTooLarge = () => {
      if (settled) return;
      const error = new Error(`the answer declared ${exchange.replyTooLarge ?? '?'} bytes, above ${options.maxResponseBytes ?? '?'}`);
      settle({ ok: false, error, exchange, durationMs: elapsed(), deadline: undefined });
      controller.abort(error);
    };
    const timer = setTimeout(() => cutShort('timeout'), Math.max(1, options.timeoutMs));
    abortSignal?.addEventListener('abort', onAbort, { once: true });
    result.then(
      (value) => settle({ ok: true, value, exchange, durationMs: elapsed() }),
      (error: unknown) => settle({ ok: false, error, exchange, durationMs: elapsed(), deadline: undefined }),
    );
  });
}
