import type { FaultKind, MockApi, ProviderName } from '../mock-types.ts';
import type { SignedRequest } from '../signatures/verification.ts';

/** A fully read request as the API handlers see it. */
export interface MockRequest extends SignedRequest {
  /** Mock-clock time of arrival. */
  readonly receivedAt: number;
  /** Resolves when the client's connection closes (for the `hang` fault). */
  readonly whenClosed: () => Promise<void>;
}

export interface MockReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/**
 * The call-log facts a handler knows; the server adds status, latency and time. Mutable: handlers fill it in as they
 * learn more (one object per request on the hot path).
 */
export interface LogFields {
  provider: ProviderName;
  api: MockApi | undefined;
  requestId: string;
  function?: string | undefined;
  roleArn?: string | undefined;
  accountId?: string | undefined;
  region?: string | undefined;
  batchId?: string | undefined;
  rows?: number | undefined;
  errorCode?: string | undefined;
  fault?: FaultKind | undefined;
  accessKeyId?: string | undefined;
}

/** A reply, or a connection the server must destroy (`reset`) or simply drop (`hang`: the client already left). */
export interface HandlerResult {
  readonly reply: MockReply | 'reset' | 'hang';
  readonly log: LogFields;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): MockReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
