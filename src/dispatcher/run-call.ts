import { toLakefnError } from '../errors/index.ts';
import { BatchBuilder, type PlannedBatch } from './batch-builder.ts';
import type { DispatchCall } from './dispatch-call.ts';
import { errorAt } from './locate-error.ts';
import { sendBatch } from './send-batch.ts';

export type RowSource = AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>;

interface ScheduledBatch {
  readonly batch: PlannedBatch;
  readonly done: Promise<void>;
}

/**
 * Drives one call: cuts input into batches, keeps at most `window` of them between "read" and "consumed",
 * and yields each batch (its results complete) in input order. Input is read only when the window has room,
 * so memory is bounded by window × batch size whatever the input length: this is the backpressure of the
 * streaming API. Arrays and other sync iterables are read without a promise per row.
 *
 * When the generator ends early (error, consumer `break`), the call is stopped and every in-flight batch is
 * awaited, so no invocation outlives the call.
 */
export async function* runCall(call: DispatchCall, source: RowSource, output?: unknown[]): AsyncGenerator<PlannedBatch, void, undefined> {
  const window = Math.max(2, 2 * call.lane.concurrency.max);
  const scheduled: ScheduledBatch[] = [];
  const ready: PlannedBatch[] = [];
  const function_ = call.resolved.function;
  const builder = new BatchBuilder({
    codec: call.codec,
    place: call.place,
    arity: function_.arguments.length,
    maxRows: Math.max(1, function_.properties.maxBatchRows),
    maxBytes: call.byteLimit.bytes,
    maxBytesReason: call.byteLimit.reason,
    skipNullRows: function_.properties.nullPolicy === 'returns_null',
    deduplicate: function_.properties.volatility === 'immutable',
    nextBatchContext: () => call.nextBatchContext(),
    ...(output === undefined ? {} : { output }),
    onBatch: (batch) => ready.push(batch),
  });
  const schedule = (): void => {
    for (const batch of ready) scheduled.push({ batch, done: sendBatch(call, batch) });
    ready.length = 0;
  };
  let completed = false;
  let inputIndex = 0;
  try {
    if (isSyncIterable(source)) {
      for (const row of source) {
        call.throwIfStopped();
        builder.add(row, inputIndex);
        inputIndex += 1;
        if (ready.length === 0) continue;
        schedule();
        while (scheduled.length >= window) yield await takeHead(call, scheduled);
      }
    } else {
      for await (const row of source) {
        call.throwIfStopped();
        builder.add(row, inputIndex);
        inputIndex += 1;
        if (ready.length === 0) continue;
        schedule();
        while (scheduled.length >= window) yield await takeHead(call, scheduled);
      }
    }
    call.throwIfStopped();
    builder.flush();
    schedule();
    while (scheduled.length > 0) yield await takeHead(call, scheduled);
    completed = true;
  } catch (error) {
    // e.g. the input iterable failed (a malformed line): stop the call's in-flight batches with that error
    call.fail(toLakefnError(error));
    throw error;
  } finally {
    // reached without an error when the consumer stopped iterating early (`break`, `return()`)
    if (!completed) call.fail(errorAt('E_CANCELLED', call.place, 'the consumer stopped reading results; in-flight invocations were aborted'));
    await Promise.all(scheduled.map((entry) => entry.done));
  }
}

async function takeHead(call: DispatchCall, scheduled: ScheduledBatch[]): Promise<PlannedBatch> {
  const head = scheduled.shift()!;
  await head.done;
  call.throwIfStopped();
  return head.batch;
}

function isSyncIterable(source: RowSource): source is Iterable<readonly unknown[]> {
  return typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}
