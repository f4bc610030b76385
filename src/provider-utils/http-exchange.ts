import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * What node:http saw of the last request an SDK sent during one provider call. The vendor SDKs drop
 * facts the classifier needs (Aliyun keeps no response headers on a 429, so no Retry-After; Tencent
 * replaces socket errors by a bare message) and two of them cannot be cancelled. Observing the
 * request through node:http's diagnostics channel works for every such SDK unmodified.
 */
export interface HttpExchange {
  /** The SDK's request, kept so that a deadline can destroy its socket. */
  request: ClientRequest | undefined;
  responseStatus: number | undefined;
  responseHeaders: IncomingHttpHeaders | undefined;
  /** `code` of the socket error the request emitted (ECONNRESET, EPIPE…), if any. */
  transportCode: string | undefined;
  /**
   * Set when the answer declared a body longer than the call's `maxResponseBytes`: the request was destroyed before
   * the SDK read it (the declared length, in bytes).
   */
  replyTooLarge: number | undefined;
}

let subscribed = false;

interface ObservedExchange {
  readonly exchange: HttpExchange;
  readonly maxResponseBytes: number;
  /** Called when an answer was cut off as too large (some SDKs never settle once their request is destroyed). */
  readonly onReplyTooLarge: (() => void) | undefined;
}

const exchanges = new AsyncLocalStorage<ObservedExchange>();

/** A fresh exchange, nothing seen yet. */
export function emptyHttpExchange(): HttpExchange {
  return { request: undefined, responseStatus: undefined, responseHeaders: undefined, transportCode: undefined, replyTooLarge: undefined };
}

/**
 * Runs `call` with a fresh exchange that records every node:http request `call` starts (last one wins). An answer
 * that declares a body above `maxResponseBytes` is cut off before the SDK reads it (see `replyTooLarge`); a chunked
 * answer declares nothing, so the caller still checks the size it got.
 */
export function withHttpExchange<T>(
  call: (exchange: HttpExchange) => Promise<T>,
  maxResponseBytes = Number.POSITIVE_INFINITY,
  onReplyTooLarge?: () => void,
): { exchange: HttpExchange; result: Promise<T> } {
  if (!subscribed) {
    // Once per process; the subscriber only acts inside withHttpExchange (the store is empty elsewhere).
    diagnosticsChannel.subscribe('http.client.request.start', recordRequestStart);
    subscribed = true;
  }
  const exchange = emptyHttpExchange();
  return { exchange, result: exchanges.run({ exchange, maxResponseBytes, onReplyTooLarge }, () => call(exchange)) };
}

function recordRequestStart(message: unknown): void {
  const observed = exchanges.getStore();
  if (observed === undefined) return;
  const { exchange, maxResponseBytes, onReplyTooLarge } = observed;
  const request = (message as { request?: ClientRequest }).request;
  if (request === undefined) return;
  exchange.request = request;
  exchange.responseStatus = undefined;
  exchange.responseHeaders = undefined;
  exchange.transportCode = undefined;
  request.once('response', (response: IncomingMessage) => {
    exchange.responseStatus = response.statusCode;
    exchange.responseHeaders = response.headers;
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    if (declared > maxResponseBytes) {
      exchange.replyTooLarge = declared;
      request.destroy();
      onReplyTooLarge?.();
    }
  });
  // The SDKs listen for 'error' themselves; this listener only records the code.
  request.on('error', (error: NodeJS.ErrnoException) => {
    if (typeof error.code === 'string') exchange.transportCode ??= error.code;
  });
}

/** A single header value (first of a repeated header). */
export function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined.
 * @param now - epoch ms, for the HTTP-date form
 */
export function parseRetryAfter(value: string | number | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
