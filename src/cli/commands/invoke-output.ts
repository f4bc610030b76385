import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createValueEncoder, type ValueEncoder } from '../../codec/value-encoders.ts';
import { LakefnError, toLakefnError } from '../../errors/index.ts';
import type { FunctionRecord } from '../../spec/function-record.ts';
import { formatSqlType } from '../../spec/sql-type.ts';

/**
 * Writes results as NDJSON, one JSON value per line, with the lossless conventions of the wire formats
 * (BIGINT beyond ±2^53 as a string, DECIMAL as a string, BINARY as base64, MAP as an object). One write per
 * batch, waiting for 'drain' when the destination is slower than the dispatcher (bounded memory).
 */
export class NdjsonResultWriter {
  readonly #stream: NodeJS.WritableStream;
  readonly #ownsStream: boolean;
  readonly #encode: ValueEncoder;
  readonly #function: FunctionRecord;
  #rows = 0;
  #failure: Error | undefined;

  private constructor(stream: NodeJS.WritableStream, ownsStream: boolean, fn: FunctionRecord) {
    this.#stream = stream;
    this.#ownsStream = ownsStream;
    this.#function = fn;
    this.#encode = createValueEncoder(fn.returnType);
    stream.on('error', (error: Error) => {
      this.#failure ??= error;
    });
  }

  /** To `path` (created or truncated), or to `stdout` when `path` is undefined. */
  static async open(path: string | undefined, stdout: NodeJS.WritableStream, fn: FunctionRecord): Promise<NdjsonResultWriter> {
    if (path === undefined) return new NdjsonResultWriter(stdout, false, fn);
    const stream = createWriteStream(path);
    try {
      await once(stream, 'open');
    } catch (error) {
      throw new LakefnError('E_USAGE', `cannot write --output ${path}: ${(error as NodeJS.ErrnoException).code ?? toLakefnError(error).message}`, { cause: error });
    }
    return new NdjsonResultWriter(stream, true, fn);
  }

  get rows(): number {
    return this.#rows;
  }

  async writeBatch(values: readonly unknown[]): Promise<void> {
    this.#throwIfFailed();
    let text = '';
    for (let index = 0; index < values.length; index += 1) text += `${this.#encodeValue(values[index], this.#rows + index)}\n`;
    this.#rows += values.length;
    if (!this.#stream.write(text)) await once(this.#stream, 'drain');
    this.#throwIfFailed();
  }

  /** Flushes; closes the file when the writer opened one. */
  async end(): Promise<void> {
    if (this.#ownsStream) {
      this.#stream.end();
      if (!(this.#stream as unknown as { writableFinished: boolean }).writableFinished) await once(this.#stream, 'finish');
    }
    this.#throwIfFailed();
  }

  #encodeValue(value: unknown, row: number): string {
    try {
      return this.#encode(value);
    } catch (error) {
      throw new LakefnError('E_TYPE_COERCION', `result of row ${row} cannot be written as ${formatSqlType(this.#function.returnType)}: ${toLakefnError(error).message}`, {
        location: { function: this.#function.name, row },
      });
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw new LakefnError('E_INTERNAL', `writing results failed: ${this.#failure.message}`, { cause: this.#failure });
  }
}
