import { type ErrorCode, LakefnError, type LakefnErrorOptions, toLakefnError } from '../errors/index.ts';

/** Where in a call an error happened. `row` is the index in the caller's input, never in the batch. */
export interface ErrorPlace {
  readonly function: string;
  readonly connection: string;
  readonly provider: string;
  readonly batchId?: string;
  readonly row?: number;
}

/** `function 'f' via connection 'c' (aws), batch q1:f:3, row 12` */
export function describePlace(place: ErrorPlace): string {
  let text = `function '${place.function}' via connection '${place.connection}' (${place.provider})`;
  if (place.batchId !== undefined) text += `, batch ${place.batchId}`;
  if (place.row !== undefined) text += `, row ${place.row}`;
  return text;
}

/**
 * Re-raises `error` as a LakefnError whose message and location name the function, connection, batch and
 * caller's row. Codes, retryability, Retry-After and provider facts are kept; the original is the cause.
 */
export function locateError(error: unknown, place: ErrorPlace, fallbackCode: ErrorCode = 'E_INTERNAL'): LakefnError {
  const original = toLakefnError(error, fallbackCode);
  return errorAt(original.code, place, original.message, {
    cause: original,
    location: original.location,
    retryable: original.retryable,
    ...(original.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: original.retryAfterSeconds }),
    ...(original.provider === undefined ? {} : { provider: original.provider }),
    ...(original.data === undefined ? {} : { data: original.data }),
  });
}

/** A new error at a place (for errors the dispatcher itself detects). */
export function errorAt(code: ErrorCode, place: ErrorPlace, detail: string, options: LakefnErrorOptions = {}): LakefnError {
  return new LakefnError(code, `${describePlace(place)}: ${detail}`, {
    ...options,
    location: {
      ...options.location,
      function: place.function,
      connection: place.connection,
      provider: place.provider,
      ...(place.batchId === undefined ? {} : { batchId: place.batchId }),
      ...(place.row === undefined ? {} : { row: place.row }),
    },
  });
}
