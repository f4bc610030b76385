import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { JsonNumberLiteral, parseJsonExact } from '../../codec/exact-json-parser.ts';
import { decodeUtf8Chunks, InvalidUtf8Error } from '../../codec/utf8-text.ts';
import { parseDecimalText } from '../../codec/decimal-text.ts';
import { createValueDecoder, type ValueDecoder } from '../../codec/value-decoders.ts';
import { describeMismatch, mismatchDetails } from '../../codec/value-mismatch.ts';
import { LakefnError, toLakefnError } from '../../errors/index.ts';
import type { FunctionRecord } from '../../spec/function-record.ts';
import { formatSqlType, type SqlType } from '../../spec/sql-type.ts';
import { type CsvField, parseCsvRecords } from './invoke-csv-parser.ts';

export const INPUT_FORMATS = ['ndjson', 'csv'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Longest NDJSON line accepted (a row is one line; this bounds memory on a file without newlines). */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** The input format from `--format`, else from the file extension (.csv → csv, anything else and `-` → ndjson). */
export function inputFormatOf(path: string, format: InputFormat | undefined): InputFormat {
  return format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'ndjson');
}

/**
 * Turns wire values (parsed JSON, or CSV text) into the function's argument values (BIGINT from a number or
 * text, BINARY from base64, DATE and TIMESTAMP text, nested types from JSON…), naming the input line and the
 * argument when a value does not fit.
 */
export class ArgumentConverter {
  readonly #function: FunctionRecord;
  readonly #decoders: readonly ValueDecoder[];

  constructor(fn: FunctionRecord) {
    this.#function = fn;
    this.#decoders = fn.arguments.map((argument) => createValueDecoder(argument.type, true));
  }

  /** One row of parsed JSON values; `where` is e.g. `input line 12`. */
  fromJson(row: unknown, where: string): unknown[] {
    const fn = this.#function;
    if (!Array.isArray(row) || row.length !== fn.arguments.length) {
      throw new LakefnError('E_BAD_ROW', `${where}: expected a JSON array of ${fn.arguments.length} argument(s) for ${signature(fn)}`, { location: { function: fn.name } });
    }
    const values = new Array<unknown>(row.length);
    for (let column = 0; column < row.length; column += 1) values[column] = this.#decode(column, row[column], where);
    return values;
  }

  /** One CSV record: an unquoted empty field is NULL; text is read per argument type. */
  fromCsv(fields: readonly CsvField[], where: string): unknown[] {
    const fn = this.#function;
    if (fields.length !== fn.arguments.length) {
      throw new LakefnError('E_BAD_ROW', `${where}: expected ${fn.arguments.length} field(s) for ${signature(fn)}, got ${fields.length}`, { location: { function: fn.name } });
    }
    const values = new Array<unknown>(fields.length);
    for (let column = 0; column < fields.length; column += 1) {
      const field = fields[column]!;
      const type = fn.arguments[column]!.type;
      values[column] = field.text === '' && !field.quoted ? null : this.#decode(column, csvWireValue(type, field.text, where), where);
    }
    return values;
  }

  #decode(column: number, wire: unknown, where: string): unknown {
    try {
      return this.#decoders[column]!(wire);
    } catch (error) {
      const argument = this.#function.arguments[column]!;
      const details = mismatchDetails(error);
      const what = details === undefined ? `: ${toLakefnError(error).message}` : describeMismatch(details, argument.name);
      throw new LakefnError('E_BAD_ROW', `${where}, argument ${argument.name} (${formatSqlType(argument.type)})${what}`, { location: { function: this.#function.name, field: argument.name } });
    }
  }
}

/** `--rows '[["a"],["b"]]'`: a JSON array of argument arrays. */
export function rowsFromJsonText(text: string, converter: ArgumentConverter): unknown[][] {
  const rows = parseJson(text, '--rows');
  if (!Array.isArray(rows)) throw new LakefnError('E_USAGE', '--rows must be a JSON array of argument arrays, e.g. [["a"],["b"]]');
  return rows.map((row: unknown, index) => converter.fromJson(row, `--rows row ${index}`));
}

/**
 * The bytes of `--input`: the file, or standard input for `-`. A file that cannot be opened is a usage error
 * naming it; nothing is read before the rows are consumed.
 */
export async function* inputBytes(path: string, stdin: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  if (path === '-') {
    for await (const chunk of stdin as AsyncIterable<Uint8Array | string>) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    return;
  }
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new LakefnError('E_USAGE', `cannot read --input ${path}: ${code}`, { cause: error });
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Rows of NDJSON (one JSON array per line, blank lines skipped), read as they are consumed. */
export async function* readNdjsonRows(bytes: AsyncIterable<Uint8Array>, converter: ArgumentConverter): AsyncGenerator<unknown[]> {
  let lineNumber = 0;
  for await (const line of readLines(utf8Text(bytes, 'input'))) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const where = `input line ${lineNumber}`;
    yield converter.fromJson(parseJson(line, where), where);
  }
}

/** Rows of CSV (see parseCsvRecords for how CSV is read); `header` skips the first record. */
export async function* readCsvRows(bytes: AsyncIterable<Uint8Array>, converter: ArgumentConverter, header: boolean): AsyncGenerator<unknown[]> {
  let first = true;
  for await (const record of parseCsvRecords(utf8Text(bytes, 'CSV input'))) {
    if (first && header) {
      first = false;
      continue;
    }
    first = false;
    yield converter.fromCsv(record.fields, `CSV input line ${record.line}`);
  }
}

/** Lines of text split by hand from its chunks: streams with backpressure, never holds more than a line. */
async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    let start = 0;
    let end = chunk.indexOf('\n');
    if (end === -1) {
      rest += chunk;
      if (rest.length > MAX_LINE_CHARS) throw new LakefnError('E_BAD_ROW', `input: a line longer than ${MAX_LINE_CHARS} characters`);
      continue;
    }
    let line = rest + chunk.slice(0, end);
    rest = '';
    for (;;) {
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      start = end + 1;
      end = chunk.indexOf('\n', start);
      if (end === -1) break;
      line = chunk.slice(start, end);
    }
    rest = chunk.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Input bytes as text; a byte that is not UTF-8 is E_BAD_ROW naming its line, never replaced with U+FFFD. */
async function* utf8Text(bytes: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<string> {
  try {
    yield* decodeUtf8Chunks(bytes);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    throw new LakefnError('E_BAD_ROW', `${what} line ${error.line}: not valid UTF-8 (byte offset ${error.offset}); save the input as UTF-8`, {
      location: { line: error.line },
    });
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return parseJsonExact(text);
  } catch (error) {
    const detail = toLakefnError(error).message;
    throw new LakefnError(where === '--rows' ? 'E_USAGE' : 'E_BAD_ROW', `${where}: ${detail}`);
  }
}

/** CSV text as the wire value the type's decoder reads: numbers and booleans parsed, nested types as JSON. */
function csvWireValue(type: SqlType, text: string, where: string): unknown {
  switch (type.kind) {
    case 'INT':
    case 'FLOAT':
    case 'DOUBLE':
      return parseDecimalText(text) === undefined ? text : new JsonNumberLiteral(text);
    case 'BOOLEAN': {
      const lower = text.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : text;
    }
    case 'JSON':
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return parseJson(text, where);
    default:
      return text;
  }
}

function signature(fn: FunctionRecord): string {
  return `${fn.name}(${fn.arguments.map((argument) => formatSqlType(argument.type)).join(', ')})`;
}
