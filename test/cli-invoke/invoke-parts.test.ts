import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { ArgumentConverter, rowsFromJsonText } from '../../src/cli/commands/invoke-input.ts';
import { type CsvRecord, parseCsvRecords } from '../../src/cli/commands/invoke-csv-parser.ts';
import { formatProgressLine, startProgressBar } from '../../src/cli/progress/progress-bar.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';

async function parse(chunks: readonly string[]): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of parseCsvRecords((async function* () {
    yield* chunks;
  })())) records.push(record);
  return records;
}

function texts(records: readonly CsvRecord[]): string[][] {
  return records.map((record) => record.fields.map((field) => (field.quoted ? `"${field.text}"` : field.text)));
}

/** Every way of cutting `text` into two chunks: the parser must not care where chunk boundaries fall. */
async function parseAllSplits(text: string): Promise<string[][][]> {
  const outcomes: string[][][] = [];
  for (let cut = 0; cut <= text.length; cut += 1) outcomes.push(texts(await parse([text.slice(0, cut), text.slice(cut)])));
  return outcomes;
}

describe('parseCsvRecords (RFC 4180)', () => {
  test('quotes, doubled quotes, separators and line breaks inside quotes, CRLF, empty and NULL fields, blank lines', async () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n,"",z\n\nlast,1,2';
    const expected = [
      ['a', 'b', 'c'],
      ['"x, y"', '"say "hi""', '"two\nlines"'],
      ['', '""', 'z'],
      // a blank line is a record of one unquoted empty field (NULL), as PostgreSQL's COPY … CSV reads it
      [''],
      ['last', '1', '2'],
    ];
    for (const outcome of await parseAllSplits(text)) assert.deepEqual(outcome, expected);
    const records = await parse([text]);
    assert.deepEqual(records.map((record) => record.line), [1, 2, 4, 5, 6]);
  });

  test('line ends: LF, CRLF and CR; a final line break ends the last record and adds none', async () => {
    assert.deepEqual(texts(await parse(['a\r\nb\rc\nd'])), [['a'], ['b'], ['c'], ['d']]);
    assert.deepEqual(texts(await parse(['a\n'])), [['a']]);
    assert.deepEqual(texts(await parse(['a\n\n'])), [['a'], ['']]);
    assert.deepEqual(texts(await parse(['\n'])), [['']]);
    assert.deepEqual(texts(await parse([''])), []);
  });

  test('malformed input is E_BAD_ROW naming the line', async () => {
    for (const [text, pattern] of [
      ['a,b\nx"y,z\n', /line 2: a quote inside an unquoted field/],
      ['a,"b"c\n', /line 1: text after a closing quote/],
      ['a\n"never closed\n', /line 2: a quoted field is not closed/],
    ] as const) {
      await assert.rejects(parse([text]), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_BAD_ROW' && pattern.test(error.message));
    }
  });
});

describe('ArgumentConverter', () => {
  const type = (kind: 'BIGINT' | 'INT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'BINARY' | 'DATE'): SqlType => ({ kind });
  const fn: FunctionRecord = {
    id: 'f',
    name: 'f',
    arguments: [
      { name: 'big', type: type('BIGINT') },
      { name: 'small', type: type('INT') },
      { name: 'ratio', type: type('DOUBLE') },
      { name: 'flag', type: type('BOOLEAN') },
      { name: 'text', type: type('VARCHAR') },
      { name: 'bytes', type: type('BINARY') },
      { name: 'day', type: type('DATE') },
      { name: 'tags', type: { kind: 'ARRAY', element: { kind: 'VARCHAR' } } },
    ],
    returnType: type('VARCHAR'),
    connectionId: '00000000-0000-4000-8000-000000000001',
    connectionName: 'c',
    cloudFunction: 'f',
    qualifier: null,
    properties: DEFAULT_FUNCTION_PROPERTIES,
    comment: null,
    createdAt: '',
  };
  const converter = new ArgumentConverter(fn);

  test('JSON rows: BIGINT from a number beyond 2^53 or text, BINARY from base64, nested values', () => {
    const [row] = rowsFromJsonText('[[9223372036854775807, 7, 0.5, true, "t", "AQI=", "2024-02-29", ["a"]]]', converter);
    assert.deepEqual(row, [9223372036854775807n, 7, 0.5, true, 't', new Uint8Array([1, 2]), '2024-02-29', ['a']]);
    assert.deepEqual(converter.fromJson(['-12', 1, 1, false, '', '', '2024-01-01', []], 'x')[0], -12n);
  });

  test('CSV fields: text read per type; an unquoted empty field is NULL, a quoted one is the empty string', () => {
    const field = (text: string, quoted = false) => ({ text, quoted });
    const values = converter.fromCsv([field('123456789012345678'), field('7'), field('1e3'), field('TRUE'), field('', true), field(''), field('2024-02-29'), field('["x","y"]')], 'CSV input line 2');
    assert.deepEqual(values, [123456789012345678n, 7, 1000, true, '', null, '2024-02-29', ['x', 'y']]);
  });

  test('a value that does not fit names where and which argument', () => {
    assert.throws(
      () => converter.fromJson(['x', 1, 1, true, 't', '', '2024-01-01', []], 'input line 9'),
      (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_BAD_ROW' && /^input line 9, argument big \(BIGINT\)/.test(error.message),
    );
    assert.throws(() => converter.fromJson([1, 2], 'input line 3'), /input line 3: expected a JSON array of 8 argument\(s\) for f\(BIGINT, INT/);
    assert.throws(() => rowsFromJsonText('{"rows": []}', converter), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_USAGE');
  });
});

describe('progress bar', () => {
  test('formats rows, rate, retries and throttles, with a bar when the total is known', () => {
    assert.equal(formatProgressLine('upper', { rows: 1500, retries: 2, throttles: 1 }, 1000), 'upper 1,500 rows · 1,500 rows/s · retries 2 · throttles 1');
    assert.equal(formatProgressLine('f', { rows: 50, retries: 0, throttles: 0, total: 100 }, 2000), `f [${'#'.repeat(12)}${'.'.repeat(12)}] 50% 50/100 rows · 25 rows/s · retries 0 · throttles 0`);
  });

  test('paints in place on a TTY and not at all elsewhere', () => {
    const output = (isTTY: boolean) => {
      const stream = Object.assign(new PassThrough(), { isTTY, columns: 80 });
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const bar = startProgressBar({ stream, label: 'upper', read: () => ({ rows: 10, retries: 0, throttles: 0 }), clock: () => 0 });
      bar.stop();
      return text;
    };
    assert.equal(output(false), '');
    assert.equal(output(true), '\r\u001b[2Kupper 10 rows · 0 rows/s · retries 0 · throttles 0\n');
  });
});
