import { LakefnError, quoteValue } from '../errors/index.ts';
import type { ProviderProfile } from './provider-error-tables.ts';

const MAX_STACK_LINES = 5;
const MAX_LINE_LENGTH = 300;
const MAX_ERROR_MESSAGE_LENGTH = 2000;
const MAX_PARSED_LENGTH = 1_048_576;

export interface RemoteFunctionErrorInput {
  readonly provider: ProviderProfile;
  readonly functionName: string;
  /** Where the provider said the function failed: `X-Amz-Function-Error`, `x-fc-error-type`, … */
  readonly providerErrorType: string | undefined;
  /** The function's error payload (usually `{"errorType","errorMessage","stackTrace"}`), as text. */
  readonly errorText: string;
  readonly requestId?: string | undefined;
  readonly httpStatus?: number | undefined;
  readonly logTail?: string | undefined;
}

/**
 * E_REMOTE_FUNCTION_ERROR from a function's error payload, parsed leniently (JSON object with the
 * usual runtime field names, or plain text). Retryable only when the error object says
 * `"retryable": true`: a function error is not retried blindly.
 */
export function createRemoteFunctionError(input: RemoteFunctionErrorInput): LakefnError {
  const parsed = parseErrorObject(input.errorText);
  const errorType = firstStringField(parsed, ['errorType', 'type', 'name']) ?? input.providerErrorType ?? 'Error';
  const rawMessage = firstStringField(parsed, ['errorMessage', 'message', 'error']) ?? (parsed === undefined ? input.errorText : '');
  const errorMessage = clip(rawMessage, MAX_ERROR_MESSAGE_LENGTH);
  const stack = stackLines(parsed);
  const retryable = parsed?.retryable === true;
  const shown = errorMessage.length === 0 ? '' : `: ${clip(errorMessage, 300)}`;
  return new LakefnError(
    'E_REMOTE_FUNCTION_ERROR',
    `function ${quoteValue(input.functionName)} on ${input.provider.names.services.invoke} raised ${errorType}${shown}` +
      (retryable ? ' (the function marked it retryable)' : '; fix the function or its input (function errors are not retried unless the error says "retryable": true)'),
    {
      retryable,
      location: { provider: input.provider.id },
      provider: {
        ...(input.httpStatus === undefined ? {} : { status: input.httpStatus }),
        ...(input.providerErrorType === undefined ? {} : { code: input.providerErrorType }),
        ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
      },
      data: { errorType, errorMessage, stack, ...(input.logTail === undefined ? {} : { logTail: input.logTail }) },
    },
  );
}

function parseErrorObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || trimmed.length > MAX_PARSED_LENGTH) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function firstStringField(object: Record<string, unknown> | undefined, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = object?.[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** First stack lines from `stackTrace` / `trace` / `stack`, as an array of strings or one string. */
function stackLines(object: Record<string, unknown> | undefined): string[] {
  for (const name of ['stackTrace', 'trace', 'stack']) {
    const value = object?.[name];
    const lines = Array.isArray(value) ? value.filter((line): line is string => typeof line === 'string') : typeof value === 'string' ? value.split('\n') : [];
    const kept = lines.map((line) => line.trim()).filter((line) => line.length > 0);
    if (kept.length > 0) return kept.slice(0, MAX_STACK_LINES).map((line) => clip(line, MAX_LINE_LENGTH));
  }
  return [];
}

function clip(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
