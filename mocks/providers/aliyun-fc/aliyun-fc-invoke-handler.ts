import { randomBytes } from 'node:crypto';
import type { RegisteredFunction } from '../../function-registry.ts';
import { invokeFunction } from '../../function-runtime.ts';
import type { HandlerResult, LogFields, MockReply, MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue, parseQuery } from '../../signatures/uri-encoding.ts';
import { parsePayload } from '../../wire-payload.ts';
import { aliyunAuthFailure, fcError } from './aliyun-fc-responses.ts';
import { verifyAcs3 } from './aliyun-fc-signature-verifier.ts';

/** FC 3.0's synchronous payload limit: 32 MB. */
export const FC_PAYLOAD_LIMIT = 33_554_432;
/** The reply limit the mock enforces: the same 32 MB (FC 3.0's limits page lists the request's; not confirmed). */
export const FC_REPLY_LIMIT = 33_554_432;
/** FC names a missing version and a missing alias apart (FC error codes: VersionNotFound, AliasNotFound). */
export const FC_MISSING_QUALIFIER = { named: 'AliasNotFound', numbered: 'VersionNotFound' } as const;
/**
 * FC's answer to a reply above the limit, in the shape of what the platform reports about an invocation. Not confirmed
 * against a live account (README); lakefn's FC definition reads the same errorType.
 */
const REPLY_TOO_LARGE_BODY = JSON.stringify({ errorMessage: `the function's response exceeds the maximum allowed size (${FC_REPLY_LIMIT} bytes)`, errorType: 'FunctionResponseTooLarge' });
const PATH_PREFIX = '/2023-03-30/functions/';
const PATH_SUFFIX = '/invocations';
const TOO_LARGE_MESSAGE = `payload size exceeds maximum allowed size (${FC_PAYLOAD_LIMIT} bytes)`;

export function isFcInvokePath(path: string): boolean {
  return path.startsWith(PATH_PREFIX) && path.endsWith(PATH_SUFFIX) && path.length > PATH_PREFIX.length + PATH_SUFFIX.length;
}

/** FC request ids look like `1-6548a3f1-0a3c1e5d-7f2b9c4e1d3a`. */
function fcRequestId(): string {
  const hex = randomBytes(14).toString('hex');
  return `1-${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 28)}`;
}

const PRODUCTION_DOMAIN = '.aliyuncs.com';
/** `<account uid>.<region>[-internal].fc.aliyuncs.com`, the FC 3.0 endpoint (internal: the VPC one). */
const PRODUCTION_HOST = /^(\d{1,32})\.([a-z]{2}-[a-z0-9-]{1,40}?)(?:-internal)?\.fc\.aliyuncs\.com$/;

/**
 * What a Host names. Loopback and custom hosts (a proxy) name nothing: the account comes from the credentials and the
 * region from the functions. A host on Alibaba Cloud's domain must be the production endpoint, which is per account
 * and region (`<account>.<region>.fc.aliyuncs.com`): anything else there (`fc.aliyuncs.com`, the FC 2.0-era default
 * of older SDKs) is refused, as it does not reach an FC 3.0 API.
 */
function hostTarget(hostHeader: string): { accountId: string; region: string } | 'wrong_host' | undefined {
  const host = (hostHeader.split(':')[0] ?? '').toLowerCase();
  if (!host.endsWith(PRODUCTION_DOMAIN)) return undefined;
  const match = PRODUCTION_HOST.exec(host);
  return match === null ? 'wrong_host' : { accountId: match[1] ?? '', region: match[2] ?? '' };
}

/**
 * FC 3.0 InvokeFunction: POST /2023-03-30/functions/{name}/invocations (chunked bodies accepted). The production
 * endpoint is per account and region; on loopback the account comes from the credentials and the region from the
 * Host when it names one, otherwise from the only region where the account has a function of that name.
 */
export async function handleFcInvoke(request: MockRequest, state: MockState): Promise<HandlerResult> {
  let name: string | undefined;
  try {
    name = decodeURIComponent(request.path.slice(PATH_PREFIX.length, -PATH_SUFFIX.length));
  } catch {
    name = undefined;
  }
  const log: LogFields = { provider: 'aliyun', api: 'fc:InvokeFunction', requestId: fcRequestId(), function: name };
  const verification = verifyAcs3(request, state.accounts.lookupFor('aliyun'), request.receivedAt, state.nonces);
  if (!verification.ok) {
    const [status, code, message] = aliyunAuthFailure(verification.failure, verification.detail, 'fc');
    log.accessKeyId = verification.accessKeyId;
    return failure(log, status, code, message);
  }
  const caller = verification.credential;
  log.accessKeyId = caller.accessKeyId;
  log.accountId = caller.accountId;
  if (name === undefined || name === '' || name.length > 128) return failure(log, 400, 'InvalidArgument', 'functionName is invalid');
  const hostHeader = headerValue(request.headers, 'host') ?? '';
  const target = hostTarget(hostHeader);
  if (target === 'wrong_host') {
    return failure(log, 400, 'InvalidArgument', `FC 3.0 is served at <account id>.<region>.fc.aliyuncs.com, not at ${hostHeader.slice(0, 120)}`);
  }
  if (target !== undefined && target.accountId !== caller.accountId) {
    return failure(log, 403, 'AccessDenied', `the caller of account ${caller.accountId} is not authorized to invoke functions of account ${target.accountId}`);
  }
  const invocationType = headerValue(request.headers, 'x-fc-invocation-type') ?? 'Sync';
  if (invocationType !== 'Sync') return failure(log, 400, 'InvalidArgument', `the lakefn mock serves only Sync invocations, not ${invocationType.slice(0, 40)}`);
  if (request.body.length > FC_PAYLOAD_LIMIT) return failure(log, 400, 'EntityTooLarge', TOO_LARGE_MESSAGE);
  let fn: RegisteredFunction | undefined;
  if (target === undefined) {
    const candidates = state.functions.inAnyRegion('aliyun', caller.accountId, name);
    if (candidates.length > 1) {
      const regions = candidates.map((candidate) => candidate.region).join(', ');
      return failure(log, 400, 'InvalidArgument', `function ${name} exists in several regions (${regions}); the lakefn mock needs the region in the Host (<account>.<region>.fc.aliyuncs.com)`);
    }
    fn = candidates[0];
  } else {
    fn = state.functions.get('aliyun', caller.accountId, target.region, undefined, name);
  }
  if (fn === undefined) return failure(log, 404, 'FunctionNotFound', `function not found: ${name}`);
  const qualifier = queryParameter(request.query, 'qualifier');
  if (!state.functions.hasQualifier(fn, qualifier)) {
    const version = /^\d+$/.test(qualifier ?? '');
    return failure(log, 404, version ? FC_MISSING_QUALIFIER.numbered : FC_MISSING_QUALIFIER.named, `${version ? 'version' : 'alias'} '${(qualifier ?? '').slice(0, 128)}' of function '${name}' does not exist`);
  }

  const { outcome, summary, fault } = await invokeFunction(fn, request.body, parsePayload(request.body), log.requestId, state.faults, request.whenClosed, state.stopping, FC_REPLY_LIMIT);
  log.region = fn.region;
  log.batchId = summary.batchId;
  log.rows = summary.rows;
  log.fault = fault;
  switch (outcome.kind) {
    case 'result':
      return { reply: success(outcome.body, request, log.requestId, undefined), log };
    case 'function_error':
      log.errorCode = 'UnhandledInvocationError';
      return {
        reply: success(JSON.stringify({ errorMessage: outcome.errorMessage, errorType: outcome.errorType, stackTrace: outcome.stack }), request, log.requestId, 'UnhandledInvocationError'),
        log,
      };
    case 'throttled': {
      const message = outcome.cause === 'concurrency' ? `Reserve resource exhausted: the concurrency limit of function ${fn.name} (${fn.concurrency}) was reached` : 'Request was throttled, please retry later';
      return failure(log, 429, 'ResourceThrottled', message);
    }
    case 'server_error': {
      const status = outcome.status ?? 500;
      return failure(log, status, status === 503 ? 'ServiceUnavailable' : 'InternalServerError', 'an internal error occurred, please retry');
    }
    case 'too_large':
      return failure(log, 400, 'EntityTooLarge', TOO_LARGE_MESSAGE);
    case 'reply_too_large':
      log.errorCode = 'FunctionResponseTooLarge';
      return { reply: success(REPLY_TOO_LARGE_BODY, request, log.requestId, 'UnhandledInvocationError'), log };
    default:
      return { reply: outcome.kind, log };
  }
}

function failure(log: LogFields, status: number, code: string, message: string): HandlerResult {
  log.errorCode = code;
  return { reply: fcError(status, code, message, log.requestId), log };
}

/** A 200 answer: the function's output, or its error object with `x-fc-error-type`. */
function success(body: string | Buffer, request: MockRequest, requestId: string, errorType: string | undefined): MockReply {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'x-fc-request-id': requestId };
  if (errorType !== undefined) headers['x-fc-error-type'] = errorType;
  if (headerValue(request.headers, 'x-fc-log-type') === 'Tail') {
    headers['x-fc-log-result'] = Buffer.from(`FC Invoke Start RequestId: ${requestId}\nFC Invoke End RequestId: ${requestId}\n`).toString('base64');
  }
  return { status: 200, headers, body };
}

function queryParameter(query: string, name: string): string | undefined {
  if (query === '') return undefined;
  return parseQuery(query, true)?.find(([key]) => key === name)?.[1];
}
