import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQueryResult } from '../../src/duckdb/format-query-result.ts';
import type { QueryResult } from '../../src/duckdb/create-duckdb-session.ts';

const result: QueryResult = {
  columns: [
    { name: 'n', type: 'BIGINT' },
    { name: 's', type: 'VARCHAR' },
    { name: 'nested', type: 'STRUCT(a BIGINT[])' },
  ],
  rows: [
    [1n, 'a,b', { a: [9007199254740993n] }],
    [null, ' padded ', null],
    [12345678901234567890n, 'say "hi"\nbye', []],
  ],
  prefetched: [],
};

describe('formatQueryResult', () => {
  it('table: numbers right-aligned, NULL empty, nested values as one-line JSON, control characters visible', () => {
    assert.equal(
      formatQueryResult(result, 'table'),
      [
        'n                     s                nested',
        '--------------------  ---------------  ------------------------',
        '1                     a,b              {"a":[9007199254740993]}',
        '                       padded',
        '12345678901234567890  say "hi"\\x0abye  []',
        '',
      ].join('\n'),
    );
  });

  it('csv: RFC 4180 quoting, NULL as an empty field', () => {
    assert.equal(formatQueryResult(result, 'csv'), 'n,s,nested\r\n1,"a,b","{""a"":[9007199254740993]}"\r\n," padded ",\r\n12345678901234567890,"say ""hi""\nbye",[]\r\n');
  });

  it('json: an array of row objects, bigint digits kept', () => {
    const text = formatQueryResult(result, 'json');
    assert.match(text, /"n": 12345678901234567890/);
    assert.match(text, /"a": \[\n\s+9007199254740993/);
    assert.equal(text.endsWith(']\n'), true);
  });
});
