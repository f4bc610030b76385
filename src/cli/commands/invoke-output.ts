import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createValueEncoder, type ValueEncoder } from '../../codec/value-encoders.ts';
import { LakefnError, toLakefnError } from '../../errors/index.ts';
import type { FunctionRecord } from '../../spec/function-record.ts';
import { formatSqlType } from '../../spec/sql-type.ts';

/** A file the writer opened: where it writes, and where the result goes once complete (undefined: written in place). */
interface OwnedFile {
  readonly writing: string;
  readonly target: string | undefined;
}

/**
 * Writes results as NDJSON, one JSON value per line, with the lossless conventions of the wire formats
 * (BIGINT beyond ±2^53 as a string, DECIMAL as a string, BINARY as base64, MAP as an object). One write per
 * batch, waiting for 'drain' when the destination is slower than the dispatcher (bounded memory).
 *
 * An output file is written to a temporary file in the same folder and renamed over the target only when the run
 * succeeds (a rename within a folder is atomic): a failed or interrupted run never leaves a half-written file, and
 * an existing file is replaced only by a complete one.
 */
export class NdjsonResultWriter {
  readonly #stream: NodeJS.WritableStream;
  readonly #file: OwnedFile | undefined;
  readonly #encode: ValueEncoder;
  readonly #function: FunctionRecord;
  #rows = 0;
  #failure: Error | undefined;

  private constructor(stream: NodeJS.WritableStream, file: OwnedFile | undefined, fn: FunctionRecord) {
    this.#stream = stream;
    this.#file = file;
    this.#function = fn;
    this.#encode = createValueEncoder(fn.returnType);
    stream.on('error', (error: Error) => {
      this.#failure ??= error;
    });
  }

  /**
   * To `path` (through a temporary file, see above), or to `stdout` when `path` is undefined. A path that exists and
   * is not a regular file (a FIFO, /dev/stdout) cannot be replaced by a rename, so it is written in place.
   */
  static async open(path: string | undefined, stdout: NodeJS.WritableStream, fn: FunctionRecord): Promise<NdjsonResultWriter> {
    if (path === undefined) return new NdjsonResultWriter(stdout, undefined, fn);
    const file: OwnedFile = isSpecialFile(path) ? { writing: path, target: undefined } : { writing: temporaryPathBeside(path), target: path };
    // 'wx': the temporary name is new, so nothing is ever written through a file planted under it
    const stream = createWriteStream(file.writing, { flags: file.target === undefined ? 'w' : 'wx' });
    try {
      await once(stream, 'open');
    } catch (error) {
      throw new LakefnError('E_USAGE', `cannot write --output ${path}: ${(error as NodeJS.ErrnoException).code ?? toLakefnError(error).message}`, { cause: error });
    }
    return new NdjsonResultWriter(stream, file, fn);
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

  /** Flushes; when the writer opened a file, closes it and puts it in place. */
  async end(): Promise<void> {
    if (this.#file === undefined) {
      this.#throwIfFailed();
      return;
    }
    await this.#close().catch((error: unknown) => {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    });
    if (this.#failure !== undefined) await this.discard();
    this.#throwIfFailed();
    if (this.#file.target !== undefined) {
      try {
        await rename(this.#file.writing, this.#file.target);
      } catch (error) {
        await this.discard();
        throw new LakefnError('E_USAGE', `cannot write --output ${this.#file.target}: ${(error as NodeJS.ErrnoException).code ?? toLakefnError(error).message}`, { cause: error });
      }
    }
  }

  /** After a failure: closes and removes the temporary file; the target is left as it was. Never throws. */
  async discard(): Promise<void> {
    if (this.#file === undefined) return;
    await this.#close().catch(() => undefined);
    if (this.#file.target !== undefined) await rm(this.#file.writing, { force: true }).catch(() => undefined);
  }

  async #close(): Promise<void> {
    const stream = this.#stream as NodeJS.WritableStream & { writableFinished: boolean; destroyed: boolean };
    if (stream.writableFinished || stream.destroyed) return;
    const closed = once(stream, 'close');
    stream.end();
    await closed;
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

function isSpecialFile(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `.name.<random>.tmp` beside `path`: same folder (so the rename is atomic), hidden, never an existing name. */
function temporaryPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}
