// CSV is read by the rules the README states (PostgreSQL's COPY … CSV): fuzzed by writing random records with those
// rules, in any consistent line ending and any chunking, and reading them back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CsvRecord, parseCsvRecords } from '../../src/cli/commands/invoke-csv-parser.ts';

/** A field is NULL or text; text may hold the separator, quotes and line breaks. */
const FIELD = fc.option(fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é', '😀'), maxLength: 6 }), { nil: null, freq: 4 });
const RECORD = fc.array(FIELD, { minLength: 1, maxLength: 4 });

/**
 * The stated rules, as a writer: NULL is an unquoted empty field; text is quoted (inner quotes doubled) when it is
 * empty, holds a comma, a quote or a line break, or when `quoteAnyway` says so; records end with `lineEnd`.
 */
function writeCsv(records: readonly (string | null)[][], lineEnd: string, quoteAnyway: (index: number) => boolean, finalLineEnd: boolean): string {
  let counter = 0;
  const field = (value: string | null): string => {
    if (value === null) return '';
    const quote = value === '' || /[",\r\n]/.test(value) || quoteAnyway(counter++);
    return quote ? `"${value.replaceAll('"', '""')}"` : value;
  };
  const lines = records.map((record) => record.map(field).join(','));
  return lines.length === 0 ? '' : lines.join(lineEnd) + (finalLineEnd ? lineEnd : '');
}

/** Line where each record starts: 1 + the line breaks (CRLF, CR or LF) written before it. */
function startLines(records: readonly (string | null)[][], lineEnd: string): number[] {
  const lines: number[] = [];
  let line = 1;
  for (const record of records) {
    lines.push(line);
    // quoting adds no line break, so the record written alone holds the same ones
    line += (writeCsv([record], lineEnd, () => false, true).match(/\r\n|\r|\n/g) ?? []).length;
  }
  return lines;
}

async function read(chunks: readonly string[]): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of parseCsvRecords((async function* () {
    yield* chunks;
  })())) records.push(record);
  return records;
}

/** Text cut into chunks as the UTF-8 decoder yields them: anywhere but inside a surrogate pair. */
function cut(text: string, cuts: readonly number[]): string[] {
  const inPair = (position: number): boolean => /[\ud800-\udbff]/.test(text[position - 1] ?? '') && /[\udc00-\udfff]/.test(text[position] ?? '');
  const ends = [...new Set(cuts.map((position) => position % (text.length + 1)).map((position) => (inPair(position) ? position + 1 : position)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const end of [...ends, text.length]) {
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

describe('CSV reading follows the stated rules', () => {
  it('any records written by the rules read back as the same values, NULLs and line numbers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(RECORD, { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), fc.func(fc.boolean()), fc.boolean(), async (records, lineEnd, quoteAnyway, finalLineEnd) => {
        // a last record that is one NULL is an empty line: it needs its line break, or it is the end of the input
        const last = records.at(-1);
        const text = writeCsv(records, lineEnd, quoteAnyway, finalLineEnd || (last?.length === 1 && last[0] === null));
        const read_ = await read([text]);
        const values = read_.map((record) => record.fields.map((field) => (field.text === '' && !field.quoted ? null : field.text)));
        assert.deepEqual(values, records, JSON.stringify(text));
        assert.deepEqual(read_.map((record) => record.line), startLines(records, lineEnd), JSON.stringify(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('does not depend on where chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(RECORD, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), async (records, lineEnd, cuts) => {
        const text = writeCsv(records, lineEnd, () => false, true);
        const whole = await read([text]);
        assert.deepEqual(await read(cut(text, cuts)), whole, JSON.stringify(text));
      }),
      { numRuns: 1500 },
    );
  });
});
