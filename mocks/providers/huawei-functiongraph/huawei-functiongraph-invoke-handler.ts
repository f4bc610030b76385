import { invokeFunction } from '../../function-runtime.ts';
import { jsonReply, type HandlerResult, type LogFields, type MockReply, type MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { parsePayload } from '../../wire-payload.ts';
import { huaweiAuthFailure, huaweiError, huaweiRequestId } from './huawei-functiongraph-responses.ts';
import { verifySdkHmacSha256 } from './huawei-functiongraph-signature-verifier.ts';
import { regionOfProject } from './huawei-functiongraph-sts-handler.ts';

/** FunctionGraph's synchronous request limit: 6 MB. */
export const FUNCTIONGRAPH_PAYLOAD_LIMIT = 6_291_456;
/** Its synchronous response limit: 6 MB too (FunctionGraph "Notes and Constraints"). */
export const FUNCTIONGRAPH_REPLY_LIMIT = 6_291_456;
/** A plain qualifier is a version (aliases are written `!alias` in the URN), so a missing name and number are both FSS.1052. */
export const FUNCTIONGRAPH_MISSING_QUALIFIER = { named: 'FSS.1052', numbered: 'FSS.1052' } as const;
/** Its answer to a reply above the limit: not documented; the shape lakefn's definition reads (not confirmed). */
const REPLY_TOO_LARGE_ERROR = JSON.stringify({ errorMessage: `the function's response exceeds the maximum allowed size (${FUNCTIONGRAPH_REPLY_LIMIT} bytes)`, errorType: 'FunctionResponseTooLarge' });
const INVOKE_PATH = /^\/v2\/([^/]+)\/fgs\/functions\/([^/]+)\/invocations$/;
const THROTTLED_MESSAGE = 'Your request has been controlled by overload sdk, please retry later';
/** What the mock reports as memory use of a 128 MB function. */
const MEMORY_USED_MB = 32;

export function isFunctionGraphInvokePath(path: string): boolean {
  return INVOKE_PATH.test(path);
}

/**
 * FunctionGraph synchronous invocation: `POST /v2/{project_id}/fgs/functions/{function_urn}/invocations`. The project
 * must be one of the caller's account (the region is the project's); the URN
 * `urn:fss:<region>:<project>:function:<package>:<name>[:<version>|:!<alias>]` must name that project and region. A
 * version or alias the function does not publish is not found (FSS.1052 / FSS.1053). The answer
 * (`X-CFF-Request-Version: v1`) is `{"request_id", "result", "log", "status"}` with `X-Cff-Request-Id`,
 * `X-Cff-Invoke-Summary`, `X-Func-Err-Code` and `X-Is-Func-Err`; a function error is HTTP 200 with
 * `X-Is-Func-Err: true`, and the error object as `result`.
 */
export async function handleFunctionGraphInvoke(request: MockRequest, state: MockState): Promise<HandlerResult> {
  const match = INVOKE_PATH.exec(request.path);
  const [, projectId = '', urnText = ''] = match ?? [];
  let urn = '';
  try {
    urn = decodeURIComponent(urnText);
  } catch {
    urn = urnText;
  }
  const parts = urn.split(':');
  const name = parts[6];
  const log: LogFields = { provider: 'huawei', api: 'functiongraph:InvokeFunction', requestId: huaweiRequestId(), function: name };
  const verification = verifySdkHmacSha256(request, state.accounts.lookupFor('huawei'), request.receivedAt);
  if (!verification.ok) {
    const [status, code, message] = huaweiAuthFailure(verification.failure, verification.detail);
    log.accessKeyId = verification.accessKeyId;
    return failure(log, status, code, message);
  }
  const caller = verification.credential;
  log.accessKeyId = caller.accessKeyId;
  log.accountId = caller.accountId;
  const region = regionOfProject(caller.accountId, projectId);
  if (region === undefined || headerValue(request.headers, 'x-project-id') !== projectId) {
    return failure(log, 403, 'FSS.0403', `the credentials of account ${caller.accountId} do not grant access to project ${projectId.slice(0, 40)}`);
  }
  log.region = region;
  const [urnScheme, urnService, urnRegion, urnProject, urnKind, packageName, , qualifier = 'latest'] = parts;
  if (parts.length < 7 || parts.length > 8 || urnScheme !== 'urn' || urnService !== 'fss' || urnKind !== 'function' || packageName === undefined || name === undefined || name === '') {
    return failure(log, 400, 'FSS.1309', `invalid function urn ${urn.slice(0, 200)}`);
  }
  if (urnRegion !== region || urnProject !== projectId) return failure(log, 400, 'FSS.1309', `the function urn ${urn.slice(0, 200)} is not of project ${projectId} in ${region}`);
  if ((headerValue(request.headers, 'content-type') ?? '').split(';')[0]?.trim() !== 'application/json') return failure(log, 400, 'FSS.0400', 'Content-Type must be application/json');
  if (request.body.length > FUNCTIONGRAPH_PAYLOAD_LIMIT) return failure(log, 413, 'FSS.0413', `the request body exceeds ${FUNCTIONGRAPH_PAYLOAD_LIMIT} bytes`);
  const parsed = parsePayload(request.body);
  if (!parsed.json) return failure(log, 400, 'FSS.0400', 'the event is not valid JSON');
  const fn = state.functions.get('huawei', caller.accountId, region, packageName, name);
  if (fn === undefined) return failure(log, 404, 'FSS.1051', `function not found: ${packageName}/${name}`);
  if (!state.functions.hasQualifier(fn, qualifier)) {
    return qualifier.startsWith('!')
      ? failure(log, 404, 'FSS.1053', `alias ${qualifier.slice(1, 70)} of function ${name} not found`)
      : failure(log, 404, FUNCTIONGRAPH_MISSING_QUALIFIER.named, `version ${qualifier.slice(0, 70)} of function ${name} not found`);
  }

  const startedAt = performance.now();
  const { outcome, summary, fault } = await invokeFunction(fn, request.body, parsed, log.requestId, state.faults, request.whenClosed, state.stopping, FUNCTIONGRAPH_REPLY_LIMIT);
  log.batchId = summary.batchId;
  log.rows = summary.rows;
  log.fault = fault;
  const tail = headerValue(request.headers, 'x-cff-log-type') === 'tail';
  switch (outcome.kind) {
    case 'result':
      return { reply: answer(log.requestId, startedAt, typeof outcome.body === 'string' ? outcome.body : outcome.body.toString('utf8'), false, tail), log };
    case 'function_error': {
      log.errorCode = 'FunctionError';
      const errorObject = JSON.stringify({ errorMessage: outcome.errorMessage, errorType: outcome.errorType, stackTrace: outcome.stack });
      return { reply: answer(log.requestId, startedAt, errorObject, true, tail), log };
    }
    case 'throttled':
      return failure(log, 429, 'FSS.0429', outcome.cause === 'concurrency' ? `${THROTTLED_MESSAGE} (the concurrency limit of function ${fn.name}, ${fn.concurrency}, was reached)` : THROTTLED_MESSAGE);
    case 'server_error': {
      const status = outcome.status ?? 500;
      return failure(log, status, `FSS.0${String(status).padStart(3, '0')}`, 'internal error, please retry later');
    }
    case 'too_large':
      return failure(log, 413, 'FSS.0413', `the request body exceeds ${FUNCTIONGRAPH_PAYLOAD_LIMIT} bytes`);
    case 'reply_too_large':
      log.errorCode = 'FunctionResponseTooLarge';
      return { reply: answer(log.requestId, startedAt, REPLY_TOO_LARGE_ERROR, true, tail), log };
    default:
      return { reply: outcome.kind, log };
  }
}

function failure(log: LogFields, status: number, code: string, message: string): HandlerResult {
  log.errorCode = code;
  return { reply: huaweiError(status, code, message, log.requestId), log };
}

/** The v1 answer with its headers; the log tail (base64) only when asked for. */
function answer(requestId: string, startedAt: number, result: string, functionError: boolean, tail: boolean): MockReply {
  const duration = Math.max(1, Math.round(performance.now() - startedAt));
  const logText = tail ? Buffer.from(`Start invoke request, RequestId: ${requestId}\nFinish invoke request, RequestId: ${requestId}, duration: ${duration}ms\n`).toString('base64') : '';
  const summary = JSON.stringify({ funcName: '', duration, billingDuration: duration, memorySize: 128, memoryUsed: MEMORY_USED_MB });
  return jsonReply(
    200,
    { request_id: requestId, result, log: logText, status: 200 },
    {
      'x-cff-request-id': requestId,
      'x-cff-invoke-summary': summary,
      'x-cff-billing-duration': String(duration),
      'x-cff-response-version': 'v1',
      'x-func-err-code': functionError ? '10001' : '0',
      'x-is-func-err': functionError ? 'true' : 'false',
      ...(tail ? { 'x-cff-function-log': logText } : {}),
    },
  );
}
