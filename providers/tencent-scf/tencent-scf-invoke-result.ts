import { LakefnError } from '../../src/errors/index.ts';
import { type ProviderErrorFacts, classifyProviderError, createRemoteFunctionError, platformCodeForFunctionStatus } from '../../src/provider-utils/index.ts';
import type { InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';
import { tencentFunctionStatus } from './tencent-scf-error-facts.ts';

/** The function error SCF reports as an API error instead of in `Result.ErrMsg` (both happen). */
export const FUNCTION_ERROR_CODE = 'FailedOperation.InvokeFunction';

/** The fields of SCF's InvokeFunction `Response` that lakefn reads. */
export interface ScfInvokeResponse {
  readonly RequestId?: string | undefined;
  readonly Result?:
    | {
        readonly FunctionRequestId?: string | undefined;
        readonly Log?: string | undefined;
        readonly RetMsg?: string | undefined;
        readonly ErrMsg?: string | undefined;
        readonly InvokeResult?: number | undefined;
      }
    | undefined;
}

/** The call a result or an error belongs to: the provider, the function and the secrets to keep out of messages. */
export interface ScfCall {
  readonly definition: ProviderDefinition;
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
}

/**
 * A failed InvokeFunction call (transport, HTTP status or API error code) as a lakefn error: the function error SCF
 * reports as `FailedOperation.InvokeFunction` (its message is the function's error object) stays the function's error
 * unless its status says the platform refused the call; everything else goes through the provider's table.
 */
export function scfCallError(facts: ProviderErrorFacts, errorMessage: string, cause: unknown, call: ScfCall): LakefnError {
  if (facts.deadline === undefined && facts.providerCode === FUNCTION_ERROR_CODE) {
    const functionError = createRemoteFunctionError({ provider: call.definition, functionName: call.functionName, providerErrorType: FUNCTION_ERROR_CODE, errorText: errorMessage, requestId: facts.requestId });
    return platformRefusalOr(functionError, { ...facts, functionStatus: tencentFunctionStatus(errorMessage) }, call);
  }
  return classifyProviderError(facts, { provider: call.definition, target: call.functionName, timeoutMs: call.timeoutMs }, cause, call.secrets);
}

/** The invocation's result from a successful InvokeFunction `Response`, or the function's error (`Result.ErrMsg` / `InvokeResult`). */
export function scfInvokeResult(response: ScfInvokeResponse, durationMs: number, call: ScfCall): InvokeResultV1 {
  const result = response.Result;
  const requestId = result?.FunctionRequestId ?? response.RequestId;
  const logTail = result?.Log === undefined || result.Log === '' ? undefined : result.Log;
  const errorMessage = result?.ErrMsg ?? '';
  if (errorMessage !== '' || (result?.InvokeResult !== undefined && result.InvokeResult !== 0)) {
    const functionError = createRemoteFunctionError({
      provider: call.definition,
      functionName: call.functionName,
      providerErrorType: result?.InvokeResult === undefined ? undefined : `InvokeResult ${result.InvokeResult}`,
      errorText: errorMessage !== '' ? errorMessage : (result?.RetMsg ?? ''),
      requestId,
      logTail,
    });
    const facts = { phase: 'invoke', requestId, functionStatus: tencentFunctionStatus(errorMessage) } as const;
    throw platformRefusalOr(functionError, facts, call);
  }
  return {
    payload: new Uint8Array(Buffer.from(result?.RetMsg ?? '', 'utf8')),
    durationMs,
    ...(requestId === undefined ? {} : { requestId }),
    ...(logTail === undefined ? {} : { logTail }),
  };
}

/**
 * SCF reports some platform refusals as a function error with a `statusCode` (432 concurrency over
 * limit, 406 request too large…): those become the table's code (E_THROTTLED, E_PAYLOAD_TOO_LARGE)
 * with the function error object as cause; everything else stays the function's error.
 */
function platformRefusalOr(functionError: LakefnError, facts: ProviderErrorFacts, call: ScfCall): LakefnError {
  if (platformCodeForFunctionStatus(call.definition.errors, facts.functionStatus) === undefined) return functionError;
  return classifyProviderError(facts, { provider: call.definition, target: call.functionName, timeoutMs: call.timeoutMs }, functionError, call.secrets);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** SCF carries the event as a JSON string field, so the payload must be UTF-8 text. */
export function decodeUtf8(definition: ProviderDefinition, payload: Uint8Array, functionName: string): string {
  try {
    return utf8.decode(payload);
  } catch (error) {
    throw new LakefnError('E_INVALID_ARGUMENT', `the payload for ${definition.names.services.invoke} function '${functionName}' is not UTF-8 text; SCF events are text (use a JSON wire format)`, {
      cause: error,
      location: { provider: definition.id },
    });
  }
}
