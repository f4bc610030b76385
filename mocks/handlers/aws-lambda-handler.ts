import { randomUUID } from 'node:crypto';
import { invokeFunction } from '../function-runtime.ts';
import type { HandlerResult, LogFields, MockRequest, MockReply } from '../http/mock-request.ts';
import type { MockState } from '../mock-state.ts';
import { headerValue, parseQuery } from '../signatures/uri-encoding.ts';
import { verifySigV4 } from '../signatures/sigv4-verifier.ts';
import { parsePayload } from '../wire-payload.ts';
import { lambdaAuthError, lambdaError } from './aws-responses.ts';

/** Lambda's synchronous request (and response) limit: 6 MB. */
export const LAMBDA_PAYLOAD_LIMIT = 6_291_456;
const PATH_PREFIX = '/2015-03-31/functions/';
const PATH_SUFFIX = '/invocations';

export function isLambdaInvokePath(path: string): boolean {
  return path.startsWith(PATH_PREFIX) && path.endsWith(PATH_SUFFIX) && path.length > PATH_PREFIX.length + PATH_SUFFIX.length;
}

interface FunctionReference {
  readonly name: string;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly qualifier: string | undefined;
}

/** A name, `name:qualifier`, `account:function:name[:qualifier]` or a full function ARN. */
function parseFunctionReference(reference: string): FunctionReference | undefined {
  const parts = reference.split(':');
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    return { region: parts[3], accountId: parts[4], name: parts[6] ?? '', qualifier: parts[7] };
  }
  if (parts[1] === 'function') {
    if (parts.length > 4) return undefined;
    return { region: undefined, accountId: parts[0], name: parts[2] ?? '', qualifier: parts[3] };
  }
  if (parts.length > 2) return undefined;
  return { region: undefined, accountId: undefined, name: parts[0] ?? '', qualifier: parts[1] };
}

/** Lambda Invoke (restJson1): POST /2015-03-31/functions/{FunctionName}/invocations. */
export async function handleLambdaInvoke(request: MockRequest, state: MockState): Promise<HandlerResult> {
  const requestId = randomUUID();
  const encodedName = request.path.slice(PATH_PREFIX.length, -PATH_SUFFIX.length);
  let reference: FunctionReference | undefined;
  try {
    reference = parseFunctionReference(decodeURIComponent(encodedName));
  } catch {
    reference = undefined;
  }
  const log: LogFields = { provider: 'aws', api: 'lambda:Invoke', requestId, function: reference?.name };
  const verification = verifySigV4(request, (id) => state.accounts.lookup('aws', id), request.receivedAt, 'lambda');
  if (!verification.ok) {
    const { reply, code } = lambdaAuthError(verification.failure, verification.detail, requestId);
    return { reply, log: { ...log, errorCode: code, accessKeyId: verification.accessKeyId } };
  }
  const caller = verification.credential;
  const region = verification.scope.region;
  const known: LogFields = { ...log, accessKeyId: caller.accessKeyId, accountId: caller.accountId, region };
  const fail = (status: number, errorType: string, fields: Record<string, unknown>, headers: Record<string, string> = {}): HandlerResult => ({
    reply: lambdaError(status, errorType, fields, requestId, headers),
    log: { ...known, errorCode: errorType },
  });
  if (reference === undefined || reference.name === '' || reference.name.length > 140) {
    return fail(400, 'InvalidParameterValueException', { Type: 'User', message: `1 validation error detected: Value '${encodedName.slice(0, 200)}' at 'functionName' failed to satisfy constraint` });
  }
  const functionArn = `arn:aws:lambda:${region}:${reference.accountId ?? caller.accountId}:function:${reference.name}`;
  if ((reference.accountId !== undefined && reference.accountId !== caller.accountId) || (reference.region !== undefined && reference.region !== region)) {
    const who = caller.roleArn === undefined ? `arn:aws:iam::${caller.accountId}:root` : `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleArn.slice(caller.roleArn.lastIndexOf('/') + 1)}/${caller.sessionName ?? ''}`;
    return fail(403, 'AccessDeniedException', {
      Message: `User: ${who} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn} because no resource-based policy allows the lambda:InvokeFunction action`,
    });
  }
  const invocationType = headerValue(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'DryRun') {
    return fail(400, 'InvalidParameterValueException', { Type: 'User', message: `the lakefn mock serves only RequestResponse and DryRun invocations, not ${invocationType.slice(0, 40)}` });
  }
  if (request.body.length > LAMBDA_PAYLOAD_LIMIT) {
    return fail(413, 'RequestTooLargeException', { Type: 'User', message: `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT} bytes for the InvokeFunction operation` });
  }
  const fn = state.functions.get('aws', caller.accountId, region, undefined, reference.name);
  if (fn === undefined) return fail(404, 'ResourceNotFoundException', { Type: 'User', message: `Function not found: ${functionArn}` });
  const parsed = parsePayload(request.body);
  if (request.body.length > 0 && !parsed.json) {
    return fail(400, 'InvalidRequestContentException', { Type: 'User', message: 'Could not parse request body into json: Could not parse payload into json' });
  }
  if (invocationType === 'DryRun') return { reply: { status: 204, headers: { 'x-amzn-requestid': requestId }, body: '' }, log: known };

  const startedAt = performance.now();
  const { outcome, summary, fault } = await invokeFunction(fn, request.body, parsed, requestId, state.faults, request.whenClosed, state.stopping);
  const invoked: LogFields = { ...known, batchId: summary.batchId, rows: summary.rows, fault };
  const version = reference.qualifier ?? queryParameter(request.query, 'Qualifier') ?? '$LATEST';
  const success = (body: Buffer | string, extra: Record<string, string> = {}): MockReply => ({
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amz-executed-version': version, ...tailLog(request, requestId, startedAt), ...extra },
    body,
  });
  switch (outcome.kind) {
    case 'result':
      return { reply: success(outcome.body), log: invoked };
    case 'function_error':
      return {
        reply: success(JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.stack }), { 'x-amz-function-error': 'Unhandled' }),
        log: { ...invoked, errorCode: outcome.errorType },
      };
    case 'throttled':
      return {
        reply: lambdaError(
          429,
          'TooManyRequestsException',
          { Reason: outcome.cause === 'concurrency' ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'CallerRateLimitExceeded', Type: 'User', message: 'Rate Exceeded.' },
          requestId,
          { 'retry-after': String(outcome.retryAfterSeconds) },
        ),
        log: { ...invoked, errorCode: 'TooManyRequestsException' },
      };
    case 'server_error':
      return {
        reply: lambdaError(outcome.status ?? 500, 'ServiceException', { Type: 'Service', message: 'An error occurred and the request cannot be processed.' }, requestId),
        log: { ...invoked, errorCode: 'ServiceException' },
      };
    case 'too_large':
      return {
        reply: lambdaError(413, 'RequestTooLargeException', { Type: 'User', message: `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT} bytes for the InvokeFunction operation` }, requestId),
        log: { ...invoked, errorCode: 'RequestTooLargeException' },
      };
    default:
      return { reply: outcome.kind, log: invoked };
  }
}

function queryParameter(query: string, name: string): string | undefined {
  return parseQuery(query, false)?.find(([key]) => key === name)?.[1];
}

/** X-Amz-Log-Result (base64 of the tail of the log) when the caller asked for `Tail`. */
function tailLog(request: MockRequest, requestId: string, startedAt: number): Record<string, string> {
  if (headerValue(request.headers, 'x-amz-log-type') !== 'Tail') return {};
  const duration = (performance.now() - startedAt).toFixed(2);
  const log = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${duration} ms\n`;
  return { 'x-amz-log-result': Buffer.from(log).toString('base64') };
}
