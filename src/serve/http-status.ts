import { type ErrorCode, LakefnError } from '../errors/index.ts';

/** Key in `LakefnError.data` by which the HTTP layer fixes a status (413, 401, 404 for routes…). */
export const HTTP_STATUS_KEY = 'http_status';

/** A LakefnError raised by the HTTP layer itself, carrying the status it must be answered with. */
export function httpError(status: number, code: ErrorCode, message: string): LakefnError {
  return new LakefnError(code, message, { data: { [HTTP_STATUS_KEY]: status } });
}

const BAD_REQUEST_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_SYNTAX',
  'E_USAGE',
  'E_INVALID_ARGUMENT',
  'E_BAD_ROW',
  'E_ROW_TOO_LARGE',
  'E_CANCELLED',
]);
const DEADLINE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['E_DEADLINE_EXCEEDED', 'E_TIMEOUT']);
const SERVER_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['E_INTERNAL', 'E_STORE', 'E_STORE_TAMPERED', 'E_STORE_KEY_MISSING']);

/**
 * The HTTP status an engine should see for an error, so that it can tell retryable from not without parsing the body:
 * 400 bad request (the caller's rows or body), 403 not authorized, 404 unknown (or invisible) function, 504 deadline/timeout, 503 retryable
 * (throttled, unavailable, transport, closing — with Retry-After; also E_RETRY_EXHAUSTED: the remote side is
 * overloaded, so "later" is the right advice), 500 lakefn's own failure, 422 everything else the function, its
 * reply, its connection or credentials got wrong (retrying the same request will not help).
 */
export function statusForError(error: LakefnError): number {
  const fixed = error.data?.[HTTP_STATUS_KEY];
  if (typeof fixed === 'number') return fixed;
  if (error.code === 'E_NO_SUCH_FUNCTION' || error.code === 'E_NO_SUCH_PROJECT') return 404;
  // governance: the authorization function refused (the message names the missing privilege and the object)
  if (error.code === 'E_ACCESS_DENIED') return 403;
  if (BAD_REQUEST_CODES.has(error.code) || error.code.startsWith('E_INVALID_')) return 400;
  if (DEADLINE_CODES.has(error.code)) return 504;
  if (error.retryable || error.code === 'E_RETRY_EXHAUSTED' || error.code === 'E_DISPATCHER_CLOSED' || error.code === 'E_CLOSED') return 503;
  if (SERVER_CODES.has(error.code)) return 500;
  return 422;
}

/** Seconds for the Retry-After header of a 503: what the provider asked for, else 1. */
export function retryAfterSeconds(error: LakefnError): number {
  return Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1));
}

const CONFLICT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_STORE_CONFLICT', 'E_ROLE_CYCLE', 'E_DEPENDENT_GRANTS', 'E_PROJECT_NOT_EMPTY', 'E_BUILT_IN_ROLE', 'E_OIDC_SUBJECT_IN_USE',
]);

/**
 * `POST /v1/sql`: the status of a failed statement, from its code (the body carries the code and message exactly as
 * `lakefn sql --json` reports them): 403 not authorized, 404 a named object that does not exist (or is invisible), 409 a
 * conflict with the catalog's state (exists, in use, a cycle, RESTRICT), otherwise as for calls.
 */
export function statusForStatementError(error: LakefnError): number {
  if (error.data?.[HTTP_STATUS_KEY] === undefined) {
    if (error.code.startsWith('E_NO_SUCH_')) return 404;
    if (CONFLICT_CODES.has(error.code) || error.code.endsWith('_EXISTS') || error.code.endsWith('_IN_USE')) return 409;
  }
  return statusForError(error);
}
