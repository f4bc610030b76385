import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Pool } from 'undici';
import type { LakefnError } from '../errors/index.ts';
import { headerValue } from './http-exchange.ts';
import { type ProviderCallOptions, type ProviderCallOutcome, runProviderCall } from './run-provider-call.ts';

/** A signed request, ready for the wire. */
export interface SignedHttpRequest {
  /** Path and query, as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A complete HTTP answer (the body read to the end). */
export interface HttpInvokeResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// undici's own timers are a backstop only; lakefn's deadline (runProviderCall) fires first.
const UNDICI_TIMEOUT_GRACE_MS = 1000;

/** The most of a reply lakefn reads, and the error for a reply above it. */
export interface ReplyLimit {
  readonly maxBytes: number;
  /** `receivedBytes`: what the answer declared or what arrived before reading stopped. */
  readonly tooLarge: (receivedBytes: number | undefined) => LakefnError;
}

/**
 * POSTs a signed request over `pool` under lakefn's deadline, like the SDK paths: the outcome never rejects, the
 * timeout or the caller's abort settles it at once as `deadline` 'timeout' / 'aborted' and aborts the request (undici
 * then destroys its socket). `sign` runs inside the call, so a request is signed just before it is sent.
 *
 * The reply is counted while it streams: one whose declared length or received bytes pass `reply.maxBytes` is
 * dropped there (memory stays bounded whatever the server sends) and the call rejects with `reply.tooLarge`.
 */
export async function sendHttpInvoke(
  pool: Pool,
  options: ProviderCallOptions,
  sign: () => Promise<SignedHttpRequest> | SignedHttpRequest,
  reply: ReplyLimit,
): Promise<ProviderCallOutcome<HttpInvokeResponse>> {
  const backstopMs = options.timeoutMs + UNDICI_TIMEOUT_GRACE_MS;
  let tooLarge: LakefnError | undefined;
  const outcome = await runProviderCall(options, async (signal) => {
    const request = await sign();
    const response = await pool.request({
      method: 'POST',
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal,
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    });
    const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
    if (declared > reply.maxBytes) {
      response.body.destroy();
      throw (tooLarge = reply.tooLarge(declared));
    }
    const body = await readBounded(response.body, reply.maxBytes);
    if (body === undefined) throw (tooLarge = reply.tooLarge(reply.maxBytes + 1));
    return { statusCode: response.statusCode, headers: response.headers, body };
  });
  if (!outcome.ok && tooLarge !== undefined && outcome.error === tooLarge) throw tooLarge;
  return outcome;
}

/** The whole body, or undefined (and the stream destroyed) as soon as more than `maxBytes` arrived. */
async function readBounded(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size);
}

/** A JSON object from a reply body, or undefined when the body is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
