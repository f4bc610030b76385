import type { FunctionRecord } from '../spec/function-record.ts';

/** Per-batch facts every wire format may carry. `batchId` is the idempotency key: identical on every attempt. */
export interface BatchContext {
  readonly batchId: string;
  readonly queryId: string;
  readonly user: string;
}

/** A decoded reply: one entry per sent row, in batch order, already converted to the declared return type. */
export interface DecodedReply {
  readonly results: readonly unknown[];
  /** Per-row errors the format carried, by batch row index (only formats that have them). */
  readonly rowErrors: ReadonlyMap<number, string>;
}

/**
 * Encodes rows for one function into the bytes a cloud function receives, and decodes its reply.
 * Implemented per format (lakefn v1, snowflake, bigquery, redshift) in src/codec/. Errors are LakefnErrors:
 * E_BAD_ROW (an input value does not fit its declared argument type; location.row = batch row index),
 * E_BAD_RESPONSE (malformed reply), E_ROW_COUNT_MISMATCH, E_BAD_ROW_INDEX, E_TYPE_COERCION (location.row = batch row
 * index), E_REMOTE_FUNCTION_ERROR (a format-level error reply such as bigquery `errorMessage` or redshift
 * `success:false`). The dispatcher rewrites row locations to the caller's input indices and adds function/batch.
 */
export interface WireCodec {
  readonly format: FunctionRecord['properties']['format'];
  /** Encoded size of one row alone inside a batch (for batching by bytes); exact or a tight upper bound. */
  encodedRowSize(row: readonly unknown[]): number;
  /** Fixed envelope overhead of a batch in bytes (everything except the rows). */
  envelopeSize(context: BatchContext): number;
  encodeBatch(rows: readonly (readonly unknown[])[], context: BatchContext): Uint8Array;
  decodeReply(payload: Uint8Array, sentRowCount: number): DecodedReply;
}

export type CreateWireCodec = (fn: FunctionRecord) => WireCodec;
