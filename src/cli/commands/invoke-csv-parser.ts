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

/** Longest field accepted: a guard against a missing closing quote swallowing the whole file into memory. */
const MAX_FIELD_CHARS = 64 * 1024 * 1024;

/**
 * A streaming RFC 4180 parser: fields separated by commas, records by LF or CRLF, fields may be quoted with
 * `"` (a doubled `""` inside is one quote; commas and line breaks inside quotes are data). A character loop
 * with no regex, so time is linear in the input whatever it holds. Reads chunks only as records are consumed.
 */
export async function* parseCsvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: CsvField[] = [];
  let field = '';
  let quoted = false;
  /** Inside a quoted field. */
  let inQuotes = false;
  /** Just saw a `"` inside a quoted field: either the closing quote or the first half of `""`. */
  let quotePending = false;
  /** The previous chunk ended with `\r` outside quotes. */
  let carriageReturn = false;
  let line = 1;
  let recordLine = 1;
  let anyInRecord = false;

  const endField = (): void => {
    fields.push({ text: field, quoted });
    field = '';
    quoted = false;
    anyInRecord = true;
  };
  const takeRecord = (): CsvRecord => {
    endField();
    const record = { fields, line: recordLine };
    fields = [];
    anyInRecord = false;
    return record;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const code = chunk.charCodeAt(index);
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (code === 0x22) {
            field += '"';
            start = index + 1;
            continue;
          }
          inQuotes = false;
          // fall through: this character follows the closing quote
        } else {
          if (code === 0x22) {
            field += chunk.slice(start, index);
            quotePending = true;
            start = index + 1;
          } else if (code === 0x0a) {
            line += 1;
          }
          continue;
        }
      }
      if (carriageReturn) {
        carriageReturn = false;
        if (code === 0x0a) {
          start = index + 1;
          continue;
        }
      }
      if (code === 0x2c) {
        field += chunk.slice(start, index);
        endField();
        start = index + 1;
      } else if (code === 0x0a || code === 0x0d) {
        field += chunk.slice(start, index);
        const blank = !anyInRecord && field === '' && !quoted;
        if (!blank) yield takeRecord();
        line += 1;
        recordLine = line;
        carriageReturn = code === 0x0d;
        start = index + 1;
      } else if (code === 0x22) {
        if (field !== '' || index > start || quoted) throw csvError(line, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
        quoted = true;
        inQuotes = true;
        start = index + 1;
      } else if (quoted) {
        throw csvError(line, 'text after a closing quote (expected a comma or the end of the line)');
      }
    }
    field += chunk.slice(start);
    if (field.length > MAX_FIELD_CHARS) throw csvError(recordLine, `a field longer than ${MAX_FIELD_CHARS} characters (a missing closing quote?)`);
  }
  if (inQuotes && !quotePending) throw csvError(recordLine, 'a quoted field is not closed before the end of the input');
  if (anyInRecord || field !== '' || quoted) yield takeRecord();
}

function csvError(line: number, detail: string): LakefnError {
  return new LakefnError('E_BAD_ROW', `CSV input line ${line}: ${detail}`, { location: { line } });
}
