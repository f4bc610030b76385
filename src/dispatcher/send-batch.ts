import { LakefnError, toLakefnError } from '../errors/index.ts';
import { assembleResults, type BatchPart, locateCodecError } from './assemble-results.ts';
import type { PlannedBatch } from './batch-builder.ts';
import type { DispatchCall } from './dispatch-call.ts';
import { invokeWithRetries } from './invoke-with-retries.ts';
import { errorAt, locateError } from './locate-error.ts';

/**
 * Runs one planned batch to completion: encode once, invoke (with retries), split in half on a payload that
 * is too large, write the results. Never rejects: a fatal error is handed to `call.fail`, which stops the call.
 */
export async function sendBatch(call: DispatchCall, batch: PlannedBatch): Promise<void> {
  try {
    // governance: a REVOKE (or any catalog change that makes the call unauthorized) stops the call here, at its next batch
    if (call.guard !== undefined) await call.guard.beforeBatch();
    if (batch.rows.length > 0) await sendPart(call, batch);
    call.stats.recordRowsDone(batch.inputCount);
    if (batch.nullSkipped > 0) call.stats.recordNullSkipped(batch.nullSkipped);
    if (batch.duplicates.length > 0) call.stats.recordDedupSaved(batch.duplicates.length / 2);
  } catch (error) {
    if (error !== call.failure) call.fail(toLakefnError(error), true);
  }
}

async function sendPart(call: DispatchCall, part: BatchPart): Promise<void> {
  call.throwIfStopped();
  let payload: Uint8Array;
  const context = { batchId: part.batchId, queryId: call.queryId, user: call.user };
  try {
    const { codec } = call;
    payload =
      part.encoded !== undefined && codec.encodeBatchFromEncodedRows !== undefined
        ? codec.encodeBatchFromEncodedRows(part.encoded, context)
        : codec.encodeBatch(part.rows, context);
  } catch (error) {
    throw locateCodecError(call, part, error, 'E_BAD_ROW');
  }
  // the batcher bounds sizes with the codec's per-row estimate; the encoded bytes are the truth
  if (payload.byteLength > call.byteLimit.bytes && part.rows.length > 1) return sendHalves(call, part);
  let outcome;
  try {
    outcome = await invokeWithRetries(call, payload, part.batchId);
  } catch (error) {
    if (error === call.failure) throw error;
    if (LakefnError.isInstance(error) && (error.code === 'E_PAYLOAD_TOO_LARGE' || error.code === 'E_RESPONSE_TOO_LARGE')) return onTooLarge(call, part, error);
    throw locateError(error, { ...call.place, batchId: part.batchId });
  }
  assembleResults(call, part, outcome.reply.payload);
  call.noteRequestId(outcome.reply.requestId);
  call.stats.recordBatchDone();
  call.core.emit({
    type: 'batch-end',
    function: call.place.function,
    connection: call.place.connection,
    rows: part.rows.length + part.duplicates.length / 2,
    latencyMs: outcome.latencyMs,
    attempts: outcome.attempts,
  });
}

/**
 * The request (E_PAYLOAD_TOO_LARGE) or the function's reply (E_RESPONSE_TOO_LARGE) was above the provider's
 * limit: send each half as its own batch (recursively). A refused request never ran, so this holds under
 * `retry='none'` too; a reply too large means the function did run, and then at-most-once forbids a re-send.
 */
async function onTooLarge(call: DispatchCall, part: BatchPart, error: LakefnError): Promise<void> {
  const place = { ...call.place, batchId: part.batchId };
  const replyTooLarge = error.code === 'E_RESPONSE_TOO_LARGE';
  if (replyTooLarge && call.resolved.function.properties.retry === 'none') {
    throw errorAt('E_RESPONSE_TOO_LARGE', place, `the function ran but its reply was above the provider's response limit, and retry='none' forbids sending its rows again (split); lower max_batch_rows`, { cause: error });
  }
  if (part.rows.length === 1) {
    const what = replyTooLarge ? "the function's reply was too large even for this row alone; make its result smaller" : 'the provider refused the request as too large even with this row alone; shrink its arguments';
    throw errorAt('E_ROW_TOO_LARGE', { ...place, row: part.inputIndexes[0]! }, what, { cause: error });
  }
  return sendHalves(call, part);
}

async function sendHalves(call: DispatchCall, part: BatchPart): Promise<void> {
  const outcomes = await Promise.allSettled(splitInHalf(call, part).map((half) => sendPart(call, half)));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
}

/** Halves get fresh batch ids: they are new batches (a refused one never ran), each with its own retries. */
function splitInHalf(call: DispatchCall, part: BatchPart): [BatchPart, BatchPart] {
  const middle = Math.ceil(part.rows.length / 2);
  const firstDuplicates: number[] = [];
  const secondDuplicates: number[] = [];
  for (let index = 0; index < part.duplicates.length; index += 2) {
    const inputIndex = part.duplicates[index]!;
    const sentIndex = part.duplicates[index + 1]!;
    if (sentIndex < middle) firstDuplicates.push(inputIndex, sentIndex);
    else secondDuplicates.push(inputIndex, sentIndex - middle);
  }
  const half = (start: number, end: number, duplicates: number[]): BatchPart => ({
    batchId: call.nextBatchContext().batchId,
    rows: part.rows.slice(start, end),
    encoded: part.encoded?.slice(start, end),
    inputIndexes: part.inputIndexes.slice(start, end),
    duplicates,
    results: part.results,
    resultOffset: part.resultOffset,
  });
  return [half(0, middle, firstDuplicates), half(middle, part.rows.length, secondDuplicates)];
}
