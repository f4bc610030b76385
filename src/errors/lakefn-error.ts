import { type ErrorCode, isRetryableCode } from './error-codes.ts';

const MARKER = Symbol.for('lakefn.error');

/** Where an error happened: any subset, printed in this order by `describeLocation`. */
export interface ErrorLocation {
  readonly line?: number;
  readonly column?: number;
  readonly function?: string;
  readonly connection?: string;
  readonly provider?: string;
  readonly batchId?: string;
  /** Index of the row in the caller's input (not in the batch). */
  readonly row?: number;
  readonly field?: string;
}

export interface LakefnErrorOptions {
  readonly cause?: unknown;
  readonly location?: ErrorLocation;
  /** Overrides the code table, e.g. a remote function that declares its own error retryable. */
  readonly retryable?: boolean;
  /** Seconds the provider asked us to wait before retrying (Retry-After), when it said so. */
  readonly retryAfterSeconds?: number;
  /** Provider facts for diagnostics: HTTP status, vendor error code, request id. Never secrets. */
  readonly provider?: { readonly status?: number; readonly code?: string; readonly requestId?: string };
  /** Extra machine-readable data (e.g. the remote function's error type and stack lines). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * The one base class for every error lakefn raises on purpose. `code` is stable and documented;
 * `message` says what went wrong, where, and what to do (the sentence only: the code is rendered next to it
 * by the CLI and `serve`, see `describeError`); `retryable` comes from the code table.
 */
export class LakefnError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly location: ErrorLocation;
  readonly retryAfterSeconds: number | undefined;
  readonly provider: LakefnErrorOptions['provider'];
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options: LakefnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LakefnError';
    this.code = code;
    this.retryable = options.retryable ?? isRetryableCode(code);
    this.location = options.location ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.provider = options.provider;
    this.data = options.data;
  }

  static isInstance(value: unknown): value is LakefnError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** A JSON-safe view for `--json` output and the HTTP endpoint (no cause chain: it may hold SDK internals). */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(Object.keys(this.location).length > 0 ? { location: this.location } : {}),
      ...(this.retryAfterSeconds === undefined ? {} : { retry_after_seconds: this.retryAfterSeconds }),
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.data === undefined ? {} : { data: this.data }),
    };
  }
}

/**
 * `E_CODE: message`, the one rendering of an error for people: the CLI's stderr line, `serve`'s log and the
 * compatibility error bodies that have no separate code field, and a cause quoted inside another error's message.
 */
export function describeError(error: LakefnError): string {
  return `${error.code}: ${error.message}`;
}

/** Wraps anything thrown into a LakefnError without losing it (kept as `cause`). */
export function toLakefnError(error: unknown, fallbackCode: ErrorCode = 'E_INTERNAL'): LakefnError {
  if (LakefnError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LakefnError(fallbackCode, message, { cause: error });
}

/** One character class each, no quantifier: linear. A lone surrogate cannot be printed as UTF-8. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f]|\p{Surrogate}/gu;

/** Quotes user input for messages: truncated, control characters and lone UTF-16 surrogates made visible. */
export function quoteValue(value: string, maxLength = 80): string {
  const visible = value.replace(INVISIBLE, (character) => {
    const code = character.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
  const shown = visible.length > maxLength ? `${visible.slice(0, maxLength)}…(${value.length} chars)` : visible;
  return `'${shown}'`;
}
