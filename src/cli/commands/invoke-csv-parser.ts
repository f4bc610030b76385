import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type InfoField, type Options, parse } from 'csv-parse';
import { LakefnError } from '../../errors/index.ts';

/** One CSV field: its text and whether it was quoted (an unquoted empty field is SQL NULL, `""` is ''). */
export interface CsvField {
  readonly text: string;
  readonly quoted: boolean;
}

export interface CsvRecord {
  readonly fields: CsvField[];
  /** 1-based line where the record starts. */
  readonly line: number;
}

/** Longest record accepted: a guard against a missing closing quote swallowing the whole file into memory. */
const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** Line breaks in a field's text: only a quoted field holds any, and each is one line of the input. */
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Reads CSV as PostgreSQL's `COPY … (FORMAT csv)` does, with csv-parse: fields separated by commas, records by LF,
 * CRLF or CR; a field may be quoted with `"` (a doubled `""` inside is one quote; commas and line breaks inside
 * quotes are data). Whether a field was quoted is kept, so an unquoted empty field can be NULL and `""` the empty
 * string, and a blank line is a record of one unquoted empty field (a NULL row for a one-column function), never
 * skipped. A quote inside an unquoted field or text after a closing quote is an error naming the line. Streaming:
 * chunks are read only as records are consumed.
 */
export async function* parseCsvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  // counted here, not taken from csv-parse, which counts a CRLF inside quotes as two lines; counted as csv-parse
  // completes each record (not as records are consumed), so an error names the line of the record it is in
  let nextLine = 1;
  const options: Options<CsvRecord, CsvField[]> = {
    cast: (text: string, context: InfoField): CsvField => ({ text, quoted: context.quoting }),
    on_record: (fields: CsvField[]): CsvRecord => {
      const record = { fields, line: nextLine };
      nextLine += 1;
      for (const field of fields) if (field.quoted) nextLine += field.text.match(LINE_BREAK)?.length ?? 0;
      return record;
    },
    relax_column_count: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_CHARS,
  };
  // csv-parse's overloads without `columns` type records as string[]; cast and on_record make them CsvRecord
  const parser = parse(options as unknown as Options);
  const feeding = pipeline(Readable.from(chunks, { objectMode: false }), parser);
  // the records iterator below reports a failure of either side; this keeps the promise from being unhandled
  feeding.catch(() => undefined);
  try {
    yield* parser as AsyncIterable<CsvRecord>;
    await feeding;
  } catch (error) {
    throw csvError(error, nextLine);
  } finally {
    parser.destroy();
  }
}

/**
 * csv-parse's errors as E_BAD_ROW naming the line where the faulty record starts; anything else (e.g. invalid UTF-8
 * from the source) passes unchanged.
 */
function csvError(error: unknown, line: number): unknown {
  if (!(error instanceof CsvError)) return error;
  const detail = CSV_PROBLEMS[error.code] ?? error.message;
  return new LakefnError('E_BAD_ROW', `CSV input line ${line}: ${detail}`, { location: { line }, cause: error });
}

const CSV_PROBLEMS: Readonly<Partial<Record<CsvError['code'], string>>> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and double inner quotes)',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote (expected a comma or the end of the line)',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the input',
  CSV_MAX_RECORD_SIZE: `a record longer than ${MAX_RECORD_CHARS} characters (a missing closing quote?)`,
};
