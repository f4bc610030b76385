import type { FunctionEnvelope, FunctionRecord } from '../spec/function-record.ts';

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
 * One row encoded once (see WireCodec.encodeRow): `text` is the canonical JSON of its arguments, comma-separated
 * without brackets (equal argument tuples give equal texts, so it also serves as an in-batch dedup key); `size` is
 * what encodedRowSize would return for the row.
 */
export interface EncodedRow {
  readonly text: string;
  readonly size: number;
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
  /**
   * Encoded size of one row alone inside a batch (for batching by bytes); exact or a tight upper bound.
   * Validates the row (E_BAD_ROW); `rowIndex`, when given, goes into the error's location.row.
   */
  encodedRowSize(row: readonly unknown[], rowIndex?: number): number;
  /** Fixed envelope overhead of a batch in bytes (everything except the rows). */
  envelopeSize(context: BatchContext): number;
  encodeBatch(rows: readonly (readonly unknown[])[], context: BatchContext): Uint8Array;
  decodeReply(payload: Uint8Array, sentRowCount: number): DecodedReply;
  /**
   * Optional fast path (every codec from createWireCodec has it): validates and encodes a row once, giving its text
   * and size, so that batching by bytes and building the batch do not encode twice. E_BAD_ROW like encodedRowSize.
   */
  encodeRow?(row: readonly unknown[], rowIndex?: number): EncodedRow;
  /** Optional fast path: the same bytes as encodeBatch, from rows already encoded by encodeRow (in batch order). */
  encodeBatchFromEncodedRows?(rows: readonly EncodedRow[], context: BatchContext): Uint8Array;
  /**
   * Set when the codec wraps each batch in an envelope (`envelope = 'api_gateway'`): opens the function's answer to the
   * wire reply that decodeReply reads. The dispatcher calls it on every attempt's answer, before accepting it, so that
   * a status the envelope carries (429, 5xx) is retried like the service's own refusal.
   */
  readonly unwrapReply?: (payload: Uint8Array) => Uint8Array;
}

/** How a codec frames its batches beyond the wire format itself. */
export interface WireCodecOptions {
  /** @default 'none' */
  readonly envelope?: FunctionEnvelope;
}

export type CreateWireCodec = (fn: FunctionRecord, options?: WireCodecOptions) => WireCodec;
