import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatKeyValues } from '../../src/cli/output/format-key-values.ts';
import { formatTable } from '../../src/cli/output/format-table.ts';
import { toJson } from '../../src/cli/output/write-json.ts';

describe('CLI output helpers', () => {
  it('formatTable aligns columns, right-aligns numbers, prints NULL empty and trims trailing spaces', () => {
    const text = formatTable(['name', 'rows', 'comment'], [['a', 5, null], ['longer', 12345, 'x']]);
    assert.equal(text, ['name     rows  comment', '------  -----  -------', 'a           5', 'longer  12345  x', ''].join('\n'));
  });

  it('formatTable prints the header alone for no rows, and makes control characters visible', () => {
    assert.equal(formatTable(['a', 'b'], []), 'a  b\n-  -\n');
    assert.equal(formatTable(['v'], [['x\ny\u001b[2J']]).split('\n')[2], 'x\\x0ay\\x1b[2J');
  });

  it('formatKeyValues aligns values and indents block values under their key', () => {
    const text = formatKeyValues([['name', 'sales'], ['code_bucket', null], ['policy', '{\n  "a": 1\n}', 'block']]);
    assert.equal(text, 'name         sales\ncode_bucket\npolicy:\n  {\n    "a": 1\n  }\n');
  });

  it('toJson matches JSON.stringify for plain data and writes BigInt and Map exactly', () => {
    const plain = { a: [1, 'two', null, { b: true }], c: {}, d: [], e: 'quote " and \u0000' };
    assert.equal(toJson(plain), JSON.stringify(plain, null, 2));
    assert.equal(toJson({ big: 2n ** 64n + 1n, negative: -(2n ** 63n) }), '{\n  "big": 18446744073709551617,\n  "negative": -9223372036854775808\n}');
    assert.equal(toJson(new Map([['k', 1n]])), '{\n  "k": 1\n}');
    assert.equal(toJson({ skipped: undefined, date: new Date(0) }), '{\n  "date": "1970-01-01T00:00:00.000Z"\n}');
  });
});
