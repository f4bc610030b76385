import { randomUUID } from 'node:crypto';
import type { StoredCredential } from '../../account-registry.ts';
import { invokeFunction } from '../../function-runtime.ts';
import type { HandlerResult, LogFields, MockReply, MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { parsePayload } from '../../wire-payload.ts';
import { tencentError, tencentSuccess } from './tencent-scf-responses.ts';

/** SCF's synchronous event limit: 6 MB. */
export const SCF_PAYLOAD_LIMIT = 6_291_456;
/** SCF's synchronous response limit: 6 MB; above it the function status is 407 (SCF "Cloud Function Status Code"). */
export const SCF_REPLY_LIMIT = 6_291_456;
/** A version or alias the function does not publish. */
export const SCF_MISSING_QUALIFIER = { named: 'ResourceNotFound.Qualifier', numbered: 'ResourceNotFound.Qualifier' } as const;
/** What the mock reports as memory use (128 MB functions use about this much). */
const MEMORY_USAGE_BYTES = 8_388_608;
const TOO_LARGE_MESSAGE = `The request size exceeds the limit of ${SCF_PAYLOAD_LIMIT} bytes.`;
/** InvokeFunction's documented code for an event above the limit (tencentcloud-sdk-go scf/v20180416 client.go). */
const REQUEST_TOO_LARGE = 'InvalidParameter.RequestTooLarge';

function failure(log: LogFields, code: string, message: string, status = 200): HandlerResult {
  log.errorCode = code;
  return { reply: tencentError(code, message, log.requestId, status), log };
}

/** The invocation's Result: the output as a string in RetMsg, or the error JSON in ErrMsg. */
function result(requestId: string, startedAt: number, output: string, errorMessage: string, invokeResult: number): MockReply {
  const duration = Math.max(1, Math.round(performance.now() - startedAt));
  const fields = { RetMsg: output, ErrMsg: errorMessage, InvokeResult: invokeResult, Log: '', MemUsage: MEMORY_USAGE_BYTES, Duration: duration, BillDuration: duration, FunctionRequestId: randomUUID() };
  return tencentSuccess({ Result: fields }, requestId);
}

/**
 * SCF 2018-04-16 Invoke (event in ClientContext) and InvokeFunction (event in Event). The account comes from the
 * credentials, the region from X-TC-Region, the namespace from the body (default `default`). Concurrency throttles
 * and the `throttle` fault answer Error.Code `RequestLimitExceeded`; function errors are a Result with ErrMsg (JSON,
 * statusCode 430) and InvokeResult -1.
 */
export async function handleScfInvoke(
  action: 'Invoke' | 'InvokeFunction',
  body: Record<string, unknown>,
  caller: StoredCredential,
  requestId: string,
  state: MockState,
  request: MockRequest,
): Promise<HandlerResult> {
  const name = typeof body['FunctionName'] === 'string' ? body['FunctionName'] : undefined;
  const region = headerValue(request.headers, 'x-tc-region');
  const namespace = typeof body['Namespace'] === 'string' && body['Namespace'] !== '' ? body['Namespace'] : 'default';
  const log: LogFields = { provider: 'tencent', api: `scf:${action}`, requestId, function: name, accessKeyId: caller.accessKeyId, accountId: caller.accountId, region };
  if (region === undefined || region === '') return failure(log, 'MissingParameter', 'The request is missing a required parameter `Region`.');
  if (name === undefined || name === '') return failure(log, 'MissingParameter', 'The request is missing a required parameter `FunctionName`.');
  const invocationType = body['InvocationType'] ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse') {
    return failure(log, 'InvalidParameterValue.InvocationType', `the lakefn mock serves only RequestResponse invocations, not ${JSON.stringify(invocationType).slice(0, 40)}`);
  }
  const eventField = action === 'Invoke' ? 'ClientContext' : 'Event';
  const eventValue = body[eventField] ?? '';
  if (typeof eventValue !== 'string') return failure(log, 'InvalidParameterValue', `${eventField} must be a JSON string`);
  const event = Buffer.from(eventValue, 'utf8');
  if (event.length > SCF_PAYLOAD_LIMIT) return failure(log, REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
  const parsed = parsePayload(event);
  if (event.length > 0 && !parsed.json) return failure(log, `InvalidParameterValue.${eventField}`, `${eventField} is not valid JSON.`);
  const fn = state.functions.get('tencent', caller.accountId, region, namespace, name);
  if (fn === undefined) return failure(log, 'ResourceNotFound.Function', `The function ${namespace}/${name} does not exist in ${region}.`);
  const qualifier = typeof body['Qualifier'] === 'string' ? body['Qualifier'] : undefined;
  // InvokeFunction's documented not-found code for a version or alias (tencentcloud-sdk-go scf/v20180416 client.go)
  if (!state.functions.hasQualifier(fn, qualifier)) return failure(log, SCF_MISSING_QUALIFIER.named, `The qualifier ${(qualifier ?? '').slice(0, 128)} of function ${namespace}/${name} does not exist.`);

  const startedAt = performance.now();
  const { outcome, summary, fault } = await invokeFunction(fn, event, parsed, requestId, state.faults, request.whenClosed, state.stopping, SCF_REPLY_LIMIT);
  log.batchId = summary.batchId;
  log.rows = summary.rows;
  log.fault = fault;
  switch (outcome.kind) {
    case 'result':
      return { reply: result(requestId, startedAt, typeof outcome.body === 'string' ? outcome.body : outcome.body.toString('utf8'), '', 0), log };
    case 'function_error': {
      const errorMessage = JSON.stringify({
        errorCode: -1,
        errorMessage: outcome.errorMessage,
        errorType: outcome.errorType,
        stackTrace: outcome.stack.join('\n'),
        statusCode: 430,
      });
      log.errorCode = 'UserCodeException';
      return { reply: result(requestId, startedAt, '', errorMessage, -1), log };
    }
    case 'throttled': {
      if (outcome.report === 'function_error') {
        // the platform's status 432 inside the function-error message, with text around the JSON as SCF sends it
        const status = JSON.stringify({ errorCode: 1, errorMessage: `Resource limit exceed for function [${fn.name}]`, requestId, statusCode: 432 });
        return failure(log, 'FailedOperation.InvokeFunction', `Invoking function failed: ${status} (the function's concurrency limit of ${fn.concurrency} was reached)`);
      }
      const message = outcome.cause === 'concurrency' ? `The concurrency limit of function ${fn.name} (${fn.concurrency}) was reached (432 ResourceLimitReached).` : 'Request rate limit exceeded.';
      return failure(log, 'RequestLimitExceeded', message);
    }
    case 'reply_too_large': {
      // function status 407: "The size of response exceeds the upper limit (6MB)", in Result.ErrMsg
      const errorMessage = JSON.stringify({ errorCode: -1, errorMessage: 'The size of response exceeds the upper limit (6MB)', statusCode: 407 });
      log.errorCode = 'ResponseSizeLimitExceeded';
      return { reply: result(requestId, startedAt, '', errorMessage, -1), log };
    }
    case 'server_error':
      return failure(log, 'InternalError', 'An internal error occurred.', outcome.status ?? 200);
    case 'too_large':
      return failure(log, REQUEST_TOO_LARGE, TOO_LARGE_MESSAGE);
    default:
      return { reply: outcome.kind, log };
  }
}
