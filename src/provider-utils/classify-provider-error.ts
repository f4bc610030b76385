import { type ErrorCode, LakefnError, quoteValue } from '../errors/index.ts';
import { sanitizeSdkError } from './provider-sdk-error.ts';
import { type ProviderCallPhase, type ProviderErrorTable, type ProviderProfile, TIMEOUT_TRANSPORT_CODES, lookUpCode } from './provider-error-tables.ts';
import type { DeadlineOutcome } from './run-provider-call.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';

/** What an adapter extracted from a failed call: structured facts only, never message text. */
export interface ProviderErrorFacts {
  readonly phase: ProviderCallPhase;
  readonly httpStatus?: number | undefined;
  /** The vendor's error code (`TooManyRequestsException`, `FunctionNotFound`, `RequestLimitExceeded.Uin`…). */
  readonly providerCode?: string | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
  /** A socket error code (ECONNRESET, EPIPE, ETIMEDOUT, UND_ERR_*…) when no HTTP answer arrived. */
  readonly transportCode?: string | undefined;
  /** Set when lakefn's own timeout or the caller's abort signal ended the call. */
  readonly deadline?: DeadlineOutcome | undefined;
  /** The platform's status inside a function result (SCF `Result.ErrMsg` `statusCode`), see `functionStatuses`. */
  readonly functionStatus?: number | undefined;
  /** The `errorType` of a function-error reply (Lambda `Function.ResponseSizeTooLarge`), see `functionErrorTypes`. */
  readonly functionErrorType?: string | undefined;
  /**
   * The service's clock minus lakefn's, in ms, from the answer's `Date` header (see clock-offsets.ts): decides whether
   * an ambiguous signature refusal is a clock skew, and is what the adapter corrects its clock by.
   */
  readonly serverTimeOffsetMs?: number | undefined;
  /**
   * STS refused the request's external ID as a parameter (an invalid-parameter code whose message names it, which only
   * the provider can tell): to VALIDATE's negative probes that is a refusal (`data.externalIdRejected`).
   */
  readonly externalIdRejected?: boolean | undefined;
}

/** What the failed call was about, for the message. */
export interface ProviderCallSubject {
  readonly provider: ProviderProfile;
  /** The function name (invoke) or the role ARN (STS). */
  readonly target: string;
  readonly timeoutMs?: number | undefined;
}

/**
 * The one place where a provider failure becomes a lakefn error: `facts` are looked up in the
 * provider's table (its definition's `errors`). The SDK error is kept as `cause`
 * only in sanitized form (see ProviderSdkError), with `secrets` redacted from its text.
 */
export function classifyProviderError(facts: ProviderErrorFacts, subject: ProviderCallSubject, sdkError: unknown, secrets: readonly string[]): LakefnError {
  const code = lakefnCodeFor(facts, subject.provider.errors);
  const provider = {
    ...(facts.httpStatus === undefined ? {} : { status: facts.httpStatus }),
    ...(facts.providerCode === undefined ? {} : { code: facts.providerCode }),
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
  };
  const clockOffset = code === 'E_CLOCK_SKEW' && facts.serverTimeOffsetMs !== undefined ? { data: { serverTimeOffsetMs: facts.serverTimeOffsetMs } } : {};
  const externalId = facts.externalIdRejected === true ? { data: { externalIdRejected: true } } : {};
  return new LakefnError(code, describe(code, facts, subject), {
    cause: sanitizeSdkError(sdkError, secrets),
    location: { provider: subject.provider.id },
    provider,
    ...(facts.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: facts.retryAfterSeconds }),
    ...clockOffset,
    ...externalId,
  });
}

/**
 * The lakefn code for a function status (see ProviderErrorTable.functionStatuses) when it means the
 * platform refused the call (throttle, size limit); undefined when it is the function's own error.
 */
export function platformCodeForFunctionStatus(table: ProviderErrorTable, functionStatus: number | undefined): ErrorCode | undefined {
  if (functionStatus === undefined) return undefined;
  const statuses = table.functionStatuses;
  const code = statuses !== undefined && Object.hasOwn(statuses, functionStatus) ? statuses[functionStatus] : undefined;
  return code === 'E_REMOTE_FUNCTION_ERROR' ? undefined : code;
}

/** The lakefn code for a function error's `errorType` that the platform wrote (see ProviderErrorTable.functionErrorTypes). */
export function platformCodeForFunctionErrorType(table: ProviderErrorTable, errorType: string | undefined): ErrorCode | undefined {
  const types = table.functionErrorTypes;
  if (errorType === undefined || types === undefined || !Object.hasOwn(types, errorType)) return undefined;
  const code = types[errorType];
  return code === 'E_REMOTE_FUNCTION_ERROR' ? undefined : code;
}

/** A signature refusal that does not say why, from a service whose clock is more than half its window away. */
function isAmbiguousClockSkew(table: ProviderErrorTable, facts: ProviderErrorFacts): boolean {
  const skew = table.clockSkew;
  if (skew?.ambiguousCodes === undefined || facts.providerCode === undefined || facts.serverTimeOffsetMs === undefined) return false;
  if (Math.abs(facts.serverTimeOffsetMs) <= skew.windowMs / 2) return false;
  return skew.ambiguousCodes.includes(facts.providerCode);
}

function lakefnCodeFor(facts: ProviderErrorFacts, table: ProviderErrorTable): ErrorCode {
  if (facts.deadline === 'timeout') return 'E_TIMEOUT';
  if (facts.deadline === 'aborted') return 'E_CANCELLED';
  const byFunctionStatus = platformCodeForFunctionStatus(table, facts.functionStatus);
  if (byFunctionStatus !== undefined) return byFunctionStatus;
  const byErrorType = platformCodeForFunctionErrorType(table, facts.functionErrorType);
  if (byErrorType !== undefined) return byErrorType;
  if (isAmbiguousClockSkew(table, facts)) return 'E_CLOCK_SKEW';
  const byCode = facts.providerCode === undefined ? undefined : lookUpCode(table.codes[facts.phase], facts.providerCode);
  if (byCode !== undefined) return byCode;
  if (facts.httpStatus !== undefined) {
    const byStatus = table.statuses[facts.phase][facts.httpStatus];
    if (byStatus !== undefined) return byStatus;
    if (facts.httpStatus >= 500 && facts.httpStatus <= 599) return 'E_PROVIDER_UNAVAILABLE';
    return 'E_PROVIDER_CALL';
  }
  if (facts.providerCode !== undefined) return 'E_PROVIDER_CALL';
  if (facts.transportCode !== undefined && TIMEOUT_TRANSPORT_CODES.has(facts.transportCode)) return 'E_TIMEOUT';
  // No HTTP answer and no vendor code: the connection failed (reset, refused, DNS, TLS…).
  return 'E_TRANSPORT';
}

function describe(code: ErrorCode, facts: ProviderErrorFacts, subject: ProviderCallSubject): string {
  const service = subject.provider.names.services[facts.phase];
  const action = facts.phase === 'sts' ? `AssumeRole on role ${quoteValue(subject.target, 200)}` : `invoking function ${quoteValue(subject.target)}`;
  const answer = answerText(facts);
  switch (code) {
    case 'E_TIMEOUT':
      return `${service} did not answer ${action} within ${subject.timeoutMs ?? '?'} ms${answer}; lakefn retries with backoff; raise timeout_ms if the function is slow`;
    case 'E_CANCELLED':
      return `${action} on ${service} was cancelled by the caller`;
    case 'E_TRANSPORT':
      return `the connection to ${service} failed while ${action}${answer}; lakefn retries with backoff; if it persists, check the network path and the endpoint (LAKEFN_*_ENDPOINT)`;
    case 'E_THROTTLED': {
      const wait = facts.retryAfterSeconds === undefined ? '' : `, asked to retry after ${facts.retryAfterSeconds} s`;
      return `${service} throttled ${action}${answer}${wait}; lakefn retries with backoff and lowers its concurrency; if it persists, raise the function's concurrency quota or lower max_concurrency`;
    }
    case 'E_PROVIDER_UNAVAILABLE':
      return `${service} failed on its side while ${action}${answer}; lakefn retries with backoff`;
    case 'E_AUTH':
      return facts.phase === 'sts'
        ? `${service} rejected lakefn's broker keys while ${action}${answer}; check the broker access key in the provider's standard environment variables`
        : `${service} rejected the temporary credentials while ${action}${answer}; lakefn refreshes them once; if it persists, check the role's permission policy (DESC API CONNECTION prints it)`;
    case 'E_STS_DENIED':
      return stsDeniedMessage(service, subject.target, undefined, answer);
    case 'E_STS_REGION_DISABLED':
      return `${service} is not activated in this region${answer}; activate STS for the region in the account that owns the role (and, for an opt-in region, in lakefn's broker account), then try again`;
    case 'E_CLOCK_SKEW':
      return `${service} refused the signature of ${action} as expired${answer}: ${clockOffsetText(facts.serverTimeOffsetMs)}`;
    case 'E_FUNCTION_NOT_FOUND':
      return `${service} has no function ${quoteValue(subject.target)} (or no such qualifier / namespace) in this account and region${answer}; deploy it, or fix the name after AS in CREATE EXTERNAL FUNCTION`;
    case 'E_PAYLOAD_TOO_LARGE':
      return `${service} refused the request as too large while ${action}${answer}; lakefn splits the batch; lower max_batch_bytes to avoid this`;
    case 'E_RESPONSE_TOO_LARGE':
      return `the function ran but its reply exceeded ${service}'s response size limit while ${action}${answer}; lakefn splits the batch unless retry='none'; lower max_batch_rows to avoid this`;
    default:
      return `${service} refused ${action}${answer}`;
  }
}

/** `the local clock is 1200 seconds behind the service's` from the measured offset, or a generic phrase. */
export function clockOffsetText(serverTimeOffsetMs: number | undefined): string {
  if (serverTimeOffsetMs === undefined) return "lakefn's clock is off from the service's (the answer had no Date header to measure by how much)";
  const seconds = Math.round(Math.abs(serverTimeOffsetMs) / 1000);
  return `the local clock is off by ${seconds} seconds (${serverTimeOffsetMs > 0 ? 'behind' : 'ahead of'} the service's clock)`;
}

function answerText(facts: ProviderErrorFacts): string {
  const parts = [
    facts.providerCode ?? facts.functionErrorType,
    facts.functionStatus === undefined ? undefined : `function status ${facts.functionStatus}`,
    facts.httpStatus === undefined ? undefined : `HTTP ${facts.httpStatus}`,
    facts.httpStatus === undefined && facts.providerCode === undefined ? facts.transportCode : undefined,
    facts.requestId === undefined ? undefined : `request id ${facts.requestId}`,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * The E_STS_DENIED message: the role's trust policy does not let the broker in with this external ID.
 * The broker passes the connection name so that the user knows which DESC to run.
 */
export function stsDeniedMessage(stsService: string, roleArn: string, connectionName: string | undefined, answer = ''): string {
  const desc = connectionName === undefined ? 'DESC API CONNECTION <name>' : `DESC API CONNECTION ${quoteIdentifier(connectionName)}`;
  return (
    `${stsService} refused AssumeRole on role ${quoteValue(roleArn, 200)}${answer}: the role's trust policy does not ` +
    `trust lakefn's broker account with this connection's external ID; compare the role's trust policy with the one printed by ${desc}`
  );
}
