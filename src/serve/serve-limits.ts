/** What `serve` allows a client, set explicitly rather than left to Node's defaults (documented in the README). */
export interface ServeLimits {
  /** Time for a client to send the request headers; then 408 and the connection is closed (slowloris). */
  readonly headersTimeoutMs: number;
  /** Time for a client to send the whole request, body included; then 408. Not the time to answer it. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at most; a connection beyond is closed at once (the engine retries it). */
  readonly maxConnections: number;
}

export const SERVE_LIMIT_DEFAULTS: ServeLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};
