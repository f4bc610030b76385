import type { IncomingHttpHeaders } from 'node:http';
import type { Pool } from 'undici';
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

/**
 * POSTs a signed request over `pool` under lakefn's deadline, like the SDK paths: the outcome never rejects, the
 * timeout or the caller's abort settles it at once as `deadline` 'timeout' / 'aborted' and aborts the request (undici
 * then destroys its socket). `sign` runs inside the call, so a request is signed just before it is sent.
 */
export function sendHttpInvoke(pool: Pool, options: ProviderCallOptions, sign: () => Promise<SignedHttpRequest> | SignedHttpRequest): Promise<ProviderCallOutcome<HttpInvokeResponse>> {
  const backstopMs = options.timeoutMs + UNDICI_TIMEOUT_GRACE_MS;
  return runProviderCall(options, async (signal) => {
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
    const body = Buffer.from(await response.body.arrayBuffer());
    return { statusCode: response.statusCode, headers: response.headers, body };
  });
}

/** The origin (`scheme://host[:port]`) of an endpoint override, or of the production host over HTTPS. */
export function endpointOrigin(override: URL | undefined, productionHost: string): URL {
  return override === undefined ? new URL(`https://${productionHost}`) : new URL(override.origin);
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
