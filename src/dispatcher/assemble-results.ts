import type { DecodedReply, EncodedRow } from '../codec/wire-codec.ts';
import { LakefnError } from '../errors/index.ts';
import type { DispatchCall } from './dispatch-call.ts';
import { errorAt, locateError } from './locate-error.ts';

/** The part of a batch that one invocation carries (a whole planned batch, or a half after a split). */
export interface BatchPart {
  readonly batchId: string;
  readonly rows: readonly (readonly unknown[])[];
  /** The rows already encoded (codec fast path), parallel to `rows`. */
  readonly encoded: readonly EncodedRow[] | undefined;
  readonly inputIndexes: readonly number[];
  /** Flat pairs (inputIndex, sentRowIndex). */
  readonly duplicates: readonly number[];
  readonly results: unknown[];
  readonly resultOffset: number;
}

/** Re-raises a codec error with the batch id and the caller's row (codec locations use batch row indexes). */
export function locateCodecError(call: DispatchCall, part: BatchPart, error: unknown, fallbackCode: 'E_BAD_ROW' | 'E_BAD_RESPONSE'): LakefnError {
  const batchRow = LakefnError.isInstance(error) ? error.location.row : undefined;
  const row = batchRow === undefined ? undefined : part.inputIndexes[batchRow];
  return locateError(error, { ...call.place, batchId: part.batchId, ...(row === undefined ? {} : { row }) }, fallbackCode);
}

/**
 * Decodes a reply and writes each value to its caller's row. The codec has checked row count, indexes
 * (results are re-associated by index, never by position) and types; here values are fanned out to
 * deduplicated rows and per-row errors follow on_row_error: 'null' → NULL and counted, 'fail' → E_ROW_ERROR.
 */
export function assembleResults(call: DispatchCall, part: BatchPart, payload: Uint8Array): void {
  let reply: DecodedReply;
  try {
    reply = call.codec.decodeReply(payload, part.rows.length);
  } catch (error) {
    throw locateCodecError(call, part, error, 'E_BAD_RESPONSE');
  }
  const { results, resultOffset, inputIndexes, duplicates } = part;
  const values = reply.results;
  if (values.length !== part.rows.length) {
    // the codec promises this; checked again because a silent gap would misplace results
    throw errorAt('E_ROW_COUNT_MISMATCH', { ...call.place, batchId: part.batchId }, `the reply has ${values.length} results for ${part.rows.length} rows sent`);
  }
  for (let index = 0; index < values.length; index += 1) {
    results[inputIndexes[index]! - resultOffset] = values[index];
  }
  for (let index = 0; index < duplicates.length; index += 2) {
    results[duplicates[index]! - resultOffset] = values[duplicates[index + 1]!];
  }
  if (reply.rowErrors.size > 0) applyRowErrors(call, part, reply.rowErrors);
}

function applyRowErrors(call: DispatchCall, part: BatchPart, rowErrors: ReadonlyMap<number, string>): void {
  const { results, resultOffset, inputIndexes, duplicates } = part;
  for (const batchRow of rowErrors.keys()) {
    if (inputIndexes[batchRow] === undefined) {
      throw errorAt('E_BAD_ROW_INDEX', { ...call.place, batchId: part.batchId }, `the reply reports an error for row ${batchRow}, but the batch has rows 0..${inputIndexes.length - 1}`);
    }
  }
  if (call.resolved.function.properties.onRowError === 'fail') {
    const [batchRow, message] = [...rowErrors].sort(([left], [right]) => left - right)[0]!;
    throw errorAt(
      'E_ROW_ERROR',
      { ...call.place, batchId: part.batchId, row: inputIndexes[batchRow]! },
      `the function reported an error for this row: ${message} (${rowErrors.size} row error(s) in the batch; on_row_error='null' would turn them into NULLs)`,
    );
  }
  let count = 0;
  for (const batchRow of rowErrors.keys()) {
    results[inputIndexes[batchRow]! - resultOffset] = null;
    count += 1;
  }
  for (let index = 0; index < duplicates.length; index += 2) {
    if (rowErrors.has(duplicates[index + 1]!)) {
      results[duplicates[index]! - resultOffset] = null;
      count += 1;
    }
  }
  call.stats.recordRowErrors(count);
}
