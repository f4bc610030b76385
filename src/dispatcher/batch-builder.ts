import type { BatchContext, EncodedRow, WireCodec } from '../codec/wire-codec.ts';
import { argumentKey } from './argument-key.ts';
import { type ErrorPlace, errorAt, locateError } from './locate-error.ts';

/**
 * The rows of one invocation and where their results go. Rows are referenced, never copied; results are
 * written straight into `results` (the caller's output array in `evaluate`, a per-batch array when streaming)
 * at `inputIndex - resultOffset`.
 */
export interface PlannedBatch {
  readonly batchId: string;
  readonly firstInputIndex: number;
  /** Input rows covered, including NULL-skipped and deduplicated ones. */
  inputCount: number;
  readonly results: unknown[];
  readonly resultOffset: number;
  /** The rows to send (distinct ones for immutable functions; no NULL-skipped ones). */
  readonly rows: (readonly unknown[])[];
  /** Each sent row encoded once, when the codec has the `encodeRow` fast path. */
  readonly encoded: EncodedRow[] | undefined;
  /** Input index of each sent row. */
  readonly inputIndexes: number[];
  /** Flat pairs (inputIndex, sentRowIndex) of rows deduplicated onto a sent row. */
  readonly duplicates: number[];
  /** Encoded size estimate: envelope + rows. */
  bytes: number;
  nullSkipped: number;
}

export interface BatchBuilderOptions {
  readonly codec: WireCodec;
  readonly place: Omit<ErrorPlace, 'batchId' | 'row'>;
  readonly arity: number;
  readonly maxRows: number;
  /** Encoded-size bound of a whole batch (max_batch_bytes capped by the provider limit minus headroom). */
  readonly maxBytes: number;
  /** Says how `maxBytes` was chosen, for E_ROW_TOO_LARGE messages. */
  readonly maxBytesReason: string;
  readonly skipNullRows: boolean;
  readonly deduplicate: boolean;
  readonly nextBatchContext: () => BatchContext;
  /** `evaluate` passes its output array; streaming leaves it out and gets one array per batch. */
  readonly output?: unknown[];
  readonly onBatch: (batch: PlannedBatch) => void;
}

/**
 * With dedup or NULL skipping a batch covers more input rows than it sends; this many times
 * `maxRows` input rows at most, so one batch never pins an unbounded slice of the input.
 */
const INPUT_ROWS_PER_SENT_ROW = 8;

/**
 * Cuts the input into batches bounded by rows and encoded bytes, as rows arrive (synchronous, no promise per
 * row). Each row is encoded once when the codec has `encodeRow`: the text sizes the batch, builds the payload
 * and serves as the dedup key. Full batches are handed to `onBatch` at once.
 */
export class BatchBuilder {
  readonly #options: BatchBuilderOptions;
  readonly #maxInputRows: number;
  #current: PlannedBatch | undefined;
  #envelopeBytes = 0;
  #keys: Map<string, number> | undefined;

  constructor(options: BatchBuilderOptions) {
    this.#options = options;
    this.#maxInputRows = options.maxRows * INPUT_ROWS_PER_SENT_ROW;
  }

  add(row: readonly unknown[], inputIndex: number): void {
    const options = this.#options;
    if (!Array.isArray(row) || row.length !== options.arity) {
      const got = Array.isArray(row) ? `${row.length} values` : `a ${row === null ? 'null' : typeof row} instead of an argument array`;
      throw errorAt('E_BAD_ROW', { ...options.place, row: inputIndex }, `expected ${options.arity} argument value(s), got ${got}`);
    }
    const batch = this.#current ?? this.#start(inputIndex);
    if (options.skipNullRows && hasNull(row)) {
      batch.results[inputIndex - batch.resultOffset] = null;
      batch.nullSkipped += 1;
      this.#countInput(batch);
      return;
    }
    const encoded = this.#encode(row, inputIndex);
    const size = encoded === undefined ? this.#rowSize(row, inputIndex) : encoded.size;
    let key: string | undefined;
    if (this.#keys !== undefined) {
      // equal argument tuples encode to equal texts: the encoding is the dedup key when there is one
      key = encoded === undefined ? argumentKey(row) : encoded.text;
      const sentIndex = this.#keys.get(key);
      if (sentIndex !== undefined) {
        batch.duplicates.push(inputIndex, sentIndex);
        this.#countInput(batch);
        return;
      }
    }
    let target = batch;
    if (batch.bytes + size > options.maxBytes && batch.rows.length > 0) {
      this.#emit();
      target = this.#start(inputIndex);
    }
    if (this.#envelopeBytes + size > options.maxBytes) {
      throw errorAt(
        'E_ROW_TOO_LARGE',
        { ...options.place, row: inputIndex },
        `the row encodes to ${size + this.#envelopeBytes} bytes with its envelope, above the batch limit of ${options.maxBytes} bytes (${options.maxBytesReason}); a row is never dropped: shrink its arguments, or raise max_batch_bytes if it is below the provider limit`,
      );
    }
    if (key !== undefined) this.#keys?.set(key, target.rows.length);
    target.rows.push(row);
    if (encoded !== undefined) target.encoded?.push(encoded);
    target.inputIndexes.push(inputIndex);
    target.bytes += size;
    if (target.rows.length >= options.maxRows) {
      target.inputCount += 1;
      this.#emit();
    } else {
      this.#countInput(target);
    }
  }

  /** Emits the last, partial batch. */
  flush(): void {
    if (this.#current !== undefined) this.#emit();
  }

  #countInput(batch: PlannedBatch): void {
    batch.inputCount += 1;
    if (batch.inputCount >= this.#maxInputRows) this.#emit();
  }

  #start(firstInputIndex: number): PlannedBatch {
    const options = this.#options;
    const context = options.nextBatchContext();
    this.#envelopeBytes = options.codec.envelopeSize(context);
    if (options.deduplicate) this.#keys = new Map();
    const batch: PlannedBatch = {
      batchId: context.batchId,
      firstInputIndex,
      inputCount: 0,
      results: options.output ?? [],
      resultOffset: options.output === undefined ? firstInputIndex : 0,
      rows: [],
      encoded: options.codec.encodeRow === undefined ? undefined : [],
      inputIndexes: [],
      duplicates: [],
      bytes: this.#envelopeBytes,
      nullSkipped: 0,
    };
    this.#current = batch;
    return batch;
  }

  #emit(): void {
    const batch = this.#current;
    if (batch === undefined) return;
    this.#current = undefined;
    this.#keys = undefined;
    this.#options.onBatch(batch);
  }

  #encode(row: readonly unknown[], inputIndex: number): EncodedRow | undefined {
    const codec = this.#options.codec;
    if (codec.encodeRow === undefined) return undefined;
    try {
      return codec.encodeRow(row, inputIndex);
    } catch (error) {
      throw locateError(error, { ...this.#options.place, row: inputIndex }, 'E_BAD_ROW');
    }
  }

  #rowSize(row: readonly unknown[], inputIndex: number): number {
    try {
      return this.#options.codec.encodedRowSize(row, inputIndex);
    } catch (error) {
      throw locateError(error, { ...this.#options.place, row: inputIndex }, 'E_BAD_ROW');
    }
  }
}

function hasNull(row: readonly unknown[]): boolean {
  for (let index = 0; index < row.length; index += 1) {
    if (row[index] === null || row[index] === undefined) return true;
  }
  return false;
}
