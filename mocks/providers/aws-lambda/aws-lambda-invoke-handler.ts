import { randomUUID } from 'node:crypto';
import type { StoredCredential } from '../../account-registry.ts';
import { invokeFunction, type InvocationOutcome } from '../../function-runtime.ts';
import type { HandlerResult, LogFields, MockRequest, MockReply } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue, parseQuery } from '../../signatures/uri-encoding.ts';
import { parsePayload } from '../../wire-payload.ts';
import { awsPartitionOfRegion } from './aws-lambda-partitions.ts';
import { lambdaAuthError, lambdaError } from './aws-lambda-responses.ts';
import { verifySigV4 } from './aws-lambda-signature-verifier.ts';

/** Lambda's synchronous request limit: 6 MB. */
export const LAMBDA_PAYLOAD_LIMIT = 6_291_456;
/**
 * Lambda's synchronous reply limit, which its own error message names: 6,291,556 bytes (getmoto/moto
 * tests/test_awslambda/test_lambda_invoke.py, the reply of a function returning more than 6 MB).
 */
export const LAMBDA_REPLY_LIMIT = 6_291_556;
/** A function, version or alias that does not exist: ResourceNotFoundException, whatever the qualifier. */
const NOT_FOUND = 'ResourceNotFoundException';
export const LAMBDA_MISSING_QUALIFIER = { named: NOT_FOUND, numbered: NOT_FOUND } as const;
const REPLY_TOO_LARGE_BODY = JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_REPLY_LIMIT} bytes).`, errorType: 'Function.ResponseSizeTooLarge' });
const PATH_PREFIX = '/2015-03-31/functions/';
const PATH_SUFFIX = '/invocations';
const TOO_LARGE_MESSAGE = `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`;

export function isLambdaInvokePath(path: string): boolean {
  return path.startsWith(PATH_PREFIX) && path.endsWith(PATH_SUFFIX) && path.length > PATH_PREFIX.length + PATH_SUFFIX.length;
}

interface FunctionReference {
  readonly name: string;
  readonly partition: string | undefined;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly qualifier: string | undefined;
}

const references = new Map<string, FunctionReference | undefined>();

/** parseFunctionReference, memoised: the same few names arrive over and over. */
function functionReference(encoded: string): FunctionReference | undefined {
  if (references.has(encoded)) return references.get(encoded);
  if (references.size >= 4096) references.clear();
  const reference = parseFunctionReference(encoded);
  references.set(encoded, reference);
  return reference;
}

/** A name, `name:qualifier`, `account:function:name[:qualifier]` or a full function ARN. */
function parseFunctionReference(encoded: string): FunctionReference | undefined {
  let reference: string;
  try {
    reference = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const parts = reference.split(':');
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    return { partition: parts[1], region: parts[3], accountId: parts[4], name: parts[6] ?? '', qualifier: parts[7] };
  }
  if (parts[1] === 'function') {
    if (parts.length > 4) return undefined;
    return { partition: undefined, region: undefined, accountId: parts[0], name: parts[2] ?? '', qualifier: parts[3] };
  }
  if (parts.length > 2) return undefined;
  return { partition: undefined, region: undefined, accountId: undefined, name: parts[0] ?? '', qualifier: parts[1] };
}

function failure(log: LogFields, status: number, errorType: string, fields: Record<string, unknown>, headers: Record<string, string> = {}): HandlerResult {
  log.errorCode = errorType;
  return { reply: lambdaError(status, errorType, fields, log.requestId, headers), log };
}

/** The ARN AWS names in AccessDenied messages: the account root or the assumed role of temporary credentials. */
function callerArn(caller: StoredCredential): string {
  if (caller.roleArn === undefined) return `arn:${caller.partition}:iam::${caller.accountId}:root`;
  return `arn:${caller.partition}:sts::${caller.accountId}:assumed-role/${caller.roleArn.slice(caller.roleArn.lastIndexOf('/') + 1)}/${caller.sessionName ?? ''}`;
}

/** Lambda Invoke (restJson1): POST /2015-03-31/functions/{FunctionName}/invocations. */
export async function handleLambdaInvoke(request: MockRequest, state: MockState): Promise<HandlerResult> {
  const encodedName = request.path.slice(PATH_PREFIX.length, -PATH_SUFFIX.length);
  const reference = functionReference(encodedName);
  const log: LogFields = { provider: 'aws', api: 'lambda:Invoke', requestId: randomUUID(), function: reference?.name };
  const verification = verifySigV4(request, state.accounts.lookupFor('aws'), request.receivedAt, 'lambda', awsPartitionOfRegion);
  if (!verification.ok) {
    const { reply, code } = lambdaAuthError(verification.failure, verification.detail, log.requestId);
    log.errorCode = code;
    log.accessKeyId = verification.accessKeyId;
    return { reply, log };
  }
  const caller = verification.credential;
  const region = verification.scope.region;
  log.accessKeyId = caller.accessKeyId;
  log.accountId = caller.accountId;
  log.region = region;
  if (reference === undefined || reference.name === '' || reference.name.length > 140) {
    return failure(log, 400, 'InvalidParameterValueException', { Type: 'User', message: `1 validation error detected: Value '${encodedName.slice(0, 200)}' at 'functionName' failed to satisfy constraint` });
  }
  const functionArn = `arn:${caller.partition}:lambda:${region}:${reference.accountId ?? caller.accountId}:function:${reference.name}`;
  const elsewhere =
    (reference.accountId !== undefined && reference.accountId !== caller.accountId) ||
    (reference.region !== undefined && reference.region !== region) ||
    (reference.partition !== undefined && reference.partition !== caller.partition);
  if (elsewhere) {
    return failure(log, 403, 'AccessDeniedException', {
      Message: `User: ${callerArn(caller)} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn} because no resource-based policy allows the lambda:InvokeFunction action`,
    });
  }
  const invocationType = headerValue(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'DryRun') {
    return failure(log, 400, 'InvalidParameterValueException', { Type: 'User', message: `the lakefn mock serves only RequestResponse and DryRun invocations, not ${invocationType.slice(0, 40)}` });
  }
  if (request.body.length > LAMBDA_PAYLOAD_LIMIT) return failure(log, 413, 'RequestTooLargeException', { Type: 'User', message: TOO_LARGE_MESSAGE });
  const fn = state.functions.get('aws', caller.accountId, region, undefined, reference.name);
  if (fn === undefined) return failure(log, 404, 'ResourceNotFoundException', { Type: 'User', message: `Function not found: ${functionArn}` });
  const queryQualifier = queryParameter(request.query, 'Qualifier');
  if (reference.qualifier !== undefined && queryQualifier !== undefined && reference.qualifier !== queryQualifier) {
    return failure(log, 400, 'InvalidParameterValueException', { Type: 'User', message: 'The derived qualifier from the function name does not match the specified qualifier.' });
  }
  const qualifier = reference.qualifier ?? queryQualifier;
  if (!state.functions.hasQualifier(fn, qualifier)) return failure(log, 404, NOT_FOUND, { Type: 'User', message: `Function not found: ${functionArn}:${qualifier ?? ''}` });
  const parsed = parsePayload(request.body);
  if (request.body.length > 0 && !parsed.json) {
    return failure(log, 400, 'InvalidRequestContentException', { Type: 'User', message: 'Could not parse request body into json: Could not parse payload into json' });
  }
  if (invocationType === 'DryRun') return { reply: { status: 204, headers: { 'x-amzn-requestid': log.requestId }, body: '' }, log };

  const startedAt = performance.now();
  const { outcome, summary, fault } = await invokeFunction(fn, request.body, parsed, log.requestId, state.faults, request.whenClosed, state.stopping, LAMBDA_REPLY_LIMIT);
  log.batchId = summary.batchId;
  log.rows = summary.rows;
  log.fault = fault;
  const version = qualifier ?? '$LATEST';
  return render(outcome, log, version, request, startedAt);
}

function render(outcome: InvocationOutcome, log: LogFields, version: string, request: MockRequest, startedAt: number): HandlerResult {
  switch (outcome.kind) {
    case 'result':
      return { reply: success(outcome.body, log.requestId, version, request, startedAt, undefined), log };
    case 'function_error':
      log.errorCode = outcome.errorType;
      return {
        reply: success(JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.stack }), log.requestId, version, request, startedAt, 'Unhandled'),
        log,
      };
    case 'throttled':
      return failure(
        log,
        429,
        'TooManyRequestsException',
        { Reason: outcome.cause === 'concurrency' ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'CallerRateLimitExceeded', Type: 'User', message: 'Rate Exceeded.' },
        { 'retry-after': String(outcome.retryAfterSeconds) },
      );
    case 'server_error':
      return failure(log, outcome.status ?? 500, 'ServiceException', { Type: 'Service', message: 'An error occurred and the request cannot be processed.' });
    case 'too_large':
      return failure(log, 413, 'RequestTooLargeException', { Type: 'User', message: TOO_LARGE_MESSAGE });
    case 'reply_too_large':
      // Lambda's own answer, in the function-error shape: HTTP 200, X-Amz-Function-Error: Unhandled
      log.errorCode = 'Function.ResponseSizeTooLarge';
      return { reply: success(REPLY_TOO_LARGE_BODY, log.requestId, version, request, startedAt, 'Unhandled'), log };
    default:
      return { reply: outcome.kind, log };
  }
}

/** A 200 answer: the payload, or the error object of a function error (`X-Amz-Function-Error`). */
function success(body: string | Buffer, requestId: string, version: string, request: MockRequest, startedAt: number, functionError: string | undefined): MockReply {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': version };
  if (functionError !== undefined) headers['x-amz-function-error'] = functionError;
  if (headerValue(request.headers, 'x-amz-log-type') === 'Tail') headers['x-amz-log-result'] = tailLog(requestId, startedAt);
  return { status: 200, headers, body };
}

function queryParameter(query: string, name: string): string | undefined {
  if (query === '') return undefined;
  return parseQuery(query, false)?.find(([key]) => key === name)?.[1];
}

/** X-Amz-Log-Result: base64 of the tail of the log. */
function tailLog(requestId: string, startedAt: number): string {
  const duration = (performance.now() - startedAt).toFixed(2);
  return Buffer.from(`START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${duration} ms\n`).toString('base64');
}
