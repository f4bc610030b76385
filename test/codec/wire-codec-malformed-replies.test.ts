import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import { MAX_JSON_DEPTH } from '../../src/codec/exact-json-parser.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { WireFormat } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { bytesOf, FORMATS, makeFunction, replyWith, T } from './codec-test-helpers.ts';

function decodeError(format: WireFormat, payload: Uint8Array | string, sentRowCount = 2, returnType: SqlType = T.INT): LakefnError {
  const codec = createWireCodec(makeFunction(format, [T.INT], returnType, {}, 'score'));
  try {
    codec.decodeReply(typeof payload === 'string' ? bytesOf(payload) : payload, sentRowCount);
  } catch (error) {
    assert.ok(LakefnError.isInstance(error), `not a LakefnError: ${String(error)}`);
    return error;
  }
  assert.fail(`the reply was accepted: ${typeof payload === 'string' ? payload : '<bytes>'}`);
}

function assertRejects(format: WireFormat, payload: Uint8Array | string, code: ErrorCode, message: RegExp, sentRowCount = 2): void {
  const error = decodeError(format, payload, sentRowCount);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, message);
  assert.match(error.message, /score/, 'the message names the function');
}

describe('malformed replies in every format', () => {
  for (const format of FORMATS) {
    it(`${format}: rejects replies that are not a JSON object`, () => {
      assertRejects(format, new Uint8Array(), 'E_BAD_RESPONSE', /empty/);
      assertRejects(format, new Uint8Array([0x7b, 0xff, 0x7d]), 'E_BAD_RESPONSE', /UTF-8/);
      assertRejects(format, '<html>502 Bad Gateway</html>', 'E_BAD_RESPONSE', /cannot be read as JSON \(not valid JSON: unexpected character at character 0\); it starts with '<html>502 Bad Gateway<\/html>'/);
      assertRejects(format, '{"results": [1, 2]', 'E_BAD_RESPONSE', /cannot be read as JSON \(not valid JSON: /);
      assertRejects(format, '[1, 2]', 'E_BAD_RESPONSE', /an array of 2, not an object/);
      assertRejects(format, 'null', 'E_BAD_RESPONSE', /null, not an object/);
      assertRejects(format, '42', 'E_BAD_RESPONSE', /a number, not an object/);
      assertRejects(format, '"just text"', 'E_BAD_RESPONSE', /cannot be read as JSON \(not valid JSON: /);
      assertRejects(format, JSON.stringify(JSON.stringify([1, 2])), 'E_BAD_RESPONSE', /an array of 2/);
      assertRejects(format, '{}', 'E_BAD_RESPONSE', /(not an array|"success" is nothing)/);
    });

    it(`${format}: rejects a wrong number of results naming both counts`, () => {
      for (const values of [[1], [1, 2, 3], []]) {
        const error = decodeError(format, replyWith(format, values), 2);
        assert.equal(error.code, 'E_ROW_COUNT_MISMATCH');
        assert.match(error.message, new RegExp(`expected 2 rows, got ${values.length}`));
      }
    });

    it(`${format}: rejects values that do not fit the return type, naming row, type and value`, () => {
      const error = decodeError(format, replyWith(format, [1, `${'long text '.repeat(30)}`]), 2);
      assert.equal(error.code, 'E_TYPE_COERCION');
      assert.equal(error.location.row, 1);
      assert.match(error.message, /return type INT: expected INT, got 'long text long text.*…\(300 chars\)'/);
      const fraction = decodeError(format, replyWith(format, [1.5, 1]), 2);
      assert.equal(fraction.location.row, 0);
      assert.match(fraction.message, /got 1\.5 \(not an integer\)/);
    });
  }
});

describe('lakefn replies', () => {
  it('rejects a missing or non-array "results"', () => {
    assertRejects('lakefn', '{"result": [1, 2]}', 'E_BAD_RESPONSE', /"results" is nothing, not an array.*\{"results": \[one value per row\]/);
    assertRejects('lakefn', '{"results": {"0": 1}}', 'E_BAD_RESPONSE', /"results" is an object/);
  });

  it('validates "errors"', () => {
    assertRejects('lakefn', '{"results": [1, 2], "errors": {"row": 0}}', 'E_BAD_RESPONSE', /"errors" is an object, not an array/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": 0}]}', 'E_BAD_RESPONSE', /errors\[0\] is not/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": 2, "message": "x"}]}', 'E_BAD_ROW_INDEX', /errors\[0\]\.row = 2, which is not a row of this batch \(0\.\.1\)/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": -1, "message": "x"}]}', 'E_BAD_ROW_INDEX', /row = -1/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": 0.5, "message": "x"}]}', 'E_BAD_ROW_INDEX', /row = 0\.5/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": "1", "message": "x"}]}', 'E_BAD_ROW_INDEX', /row = '1'/);
    assertRejects('lakefn', '{"results": [1, 2], "errors": [{"row": 1, "message": "x"}, {"row": 1, "message": "y"}]}', 'E_BAD_ROW_INDEX', /two errors for row 1/);
    const codec = createWireCodec(makeFunction('lakefn', [T.INT], T.INT));
    assert.equal(codec.decodeReply(bytesOf('{"results": [1, 2], "errors": null}'), 2).rowErrors.size, 0);
    assert.equal(codec.decodeReply(bytesOf('{"results": [1, 2], "errors": []}'), 2).rowErrors.size, 0);
  });
});

describe('snowflake replies', () => {
  const codec = createWireCodec(makeFunction('snowflake', [T.INT], T.VARCHAR));

  it('re-associates rows by row number, never by position', () => {
    const reply = codec.decodeReply(bytesOf('{"data": [[2, "c"], [0, "a"], [3, null], [1, "b"]]}'), 4);
    assert.deepStrictEqual(reply.results, ['a', 'b', 'c', null]);
  });

  it('rejects row numbers that are out of range or not integers, naming them', () => {
    assertRejects('snowflake', '{"data": [[0, 1], [2, 2]]}', 'E_BAD_ROW_INDEX', /row number 2 at data\[1\], which is not a row of this batch \(0\.\.1\)/);
    assertRejects('snowflake', '{"data": [[-1, 1], [0, 2]]}', 'E_BAD_ROW_INDEX', /row number -1 at data\[0\]/);
    assertRejects('snowflake', '{"data": [[0, 1], [0.5, 2]]}', 'E_BAD_ROW_INDEX', /row number 0\.5/);
    assertRejects('snowflake', '{"data": [[0, 1], ["1", 2]]}', 'E_BAD_ROW_INDEX', /row number '1'/);
    assertRejects('snowflake', '{"data": [[0, 1], [null, 2]]}', 'E_BAD_ROW_INDEX', /row number null/);
    assertRejects('snowflake', '{"data": [[0, 1], [99999999999999999999, 2]]}', 'E_BAD_ROW_INDEX', /row number 100000000000000000000/);
  });

  it('rejects duplicate row numbers, naming the duplicate and the missing row', () => {
    assertRejects('snowflake', '{"data": [[1, 1], [0, 0], [1, 2]]}', 'E_BAD_ROW_INDEX', /row number 1 twice \(data\[0\] and data\[2\]\) and no answer for row 2/, 3);
  });

  it('rejects entries that are not [row number, value]', () => {
    assertRejects('snowflake', '{"data": [[0, 1], [1]]}', 'E_BAD_RESPONSE', /data\[1\] is not \[row number, value\]/);
    assertRejects('snowflake', '{"data": [[0, 1], [1, 2, 3]]}', 'E_BAD_RESPONSE', /data\[1\] is not/);
    assertRejects('snowflake', '{"data": [[0, 1], {"1": 2}]}', 'E_BAD_RESPONSE', /data\[1\] is not/);
    assertRejects('snowflake', '{"data": [[0, 1], 2]}', 'E_BAD_RESPONSE', /data\[1\] is not/);
  });

  it('checks the count before the row numbers', () => {
    assertRejects('snowflake', '{"data": [[0, 1], [1, 2], [2, 3]]}', 'E_ROW_COUNT_MISMATCH', /expected 2 rows, got 3/);
  });
});

describe('bigquery replies', () => {
  it('turns errorMessage into E_REMOTE_FUNCTION_ERROR with the message', () => {
    const error = decodeError('bigquery', '{"errorMessage": "quota exceeded for key k1"}');
    assert.equal(error.code, 'E_REMOTE_FUNCTION_ERROR');
    assert.equal(error.retryable, false);
    assert.match(error.message, /score reported an error \(bigquery errorMessage\): 'quota exceeded for key k1'/);
    assert.equal(error.data?.['remoteMessage'], 'quota exceeded for key k1');
    assert.equal(decodeError('bigquery', '{"errorMessage": "boom", "replies": [1, 2]}').code, 'E_REMOTE_FUNCTION_ERROR');
  });

  it('rejects a non-string errorMessage and a missing replies array', () => {
    assertRejects('bigquery', '{"errorMessage": {"text": "x"}}', 'E_BAD_RESPONSE', /"errorMessage" is an object, not a string/);
    assertRejects('bigquery', '{"reply": [1, 2]}', 'E_BAD_RESPONSE', /"replies" is nothing, not an array/);
  });
});

describe('redshift replies', () => {
  it('turns success:false into E_REMOTE_FUNCTION_ERROR with error_msg', () => {
    const error = decodeError('redshift', '{"success": false, "error_msg": "Lambda: invalid input"}');
    assert.equal(error.code, 'E_REMOTE_FUNCTION_ERROR');
    assert.match(error.message, /redshift error_msg\): 'Lambda: invalid input'/);
    assert.match(decodeError('redshift', '{"success": false}').message, /no error_msg/);
  });

  it('requires a boolean success, a results array and a matching num_records', () => {
    assertRejects('redshift', '{"results": [1, 2]}', 'E_BAD_RESPONSE', /"success" is nothing, not true or false/);
    assertRejects('redshift', '{"success": "true", "results": [1, 2]}', 'E_BAD_RESPONSE', /"success" is a string/);
    assertRejects('redshift', '{"success": true, "num_records": 2}', 'E_BAD_RESPONSE', /"results" is nothing/);
    assertRejects('redshift', '{"success": true, "num_records": 3, "results": [1, 2]}', 'E_ROW_COUNT_MISMATCH', /"num_records" for a batch of 2: expected 2 rows, got 3/);
    assertRejects('redshift', '{"success": true, "num_records": "2", "results": [1, 2]}', 'E_BAD_RESPONSE', /"num_records" is a string/);
    const codec = createWireCodec(makeFunction('redshift', [T.INT], T.INT));
    assert.deepStrictEqual(codec.decodeReply(bytesOf('{"success": true, "results": [1, null]}'), 2).results, [1, null]);
  });
});

describe('replies JSON.parse would silently resolve', () => {
  const envelopes: Readonly<Record<WireFormat, (inner: string) => string>> = {
    lakefn: (inner) => `{"results":[${inner},${inner}]}`,
    snowflake: (inner) => `{"data":[[0,${inner}],[1,${inner}]]}`,
    bigquery: (inner) => `{"replies":[${inner},${inner}]}`,
    redshift: (inner) => `{"success":true,"num_records":2,"results":[${inner},${inner}]}`,
  };
  for (const format of FORMATS) {
    it(`${format}: a duplicate key in the envelope or in a value is E_BAD_RESPONSE naming the function`, () => {
      const twice = /cannot be read as JSON \(JSON object with the key "(results|data|replies|success|x)" twice \(which value is meant is ambiguous\), at character \d+\)/;
      const envelope = envelopes[format]('1');
      const duplicated = envelope.replace(/^\{"(\w+)":/, '{"$1":[],"$1":');
      assertRejects(format, duplicated, 'E_BAD_RESPONSE', twice);
      const error = decodeError(format, envelopes[format]('{"x":1,"x":2}'), 2, T.JSON);
      assert.equal(error.code, 'E_BAD_RESPONSE');
      assert.match(error.message, twice);
    });

    it(`${format}: a reply nested past ${MAX_JSON_DEPTH} levels is E_BAD_RESPONSE`, () => {
      const deep = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
      const error = decodeError(format, envelopes[format](deep), 2, T.JSON);
      assert.equal(error.code, 'E_BAD_RESPONSE');
      assert.match(error.message, /function score .*JSON nested deeper than 1000 levels of arrays and objects/);
    });

    it(`${format}: a lone UTF-16 surrogate in a VARCHAR result is E_TYPE_COERCION naming the row`, () => {
      for (const lone of ['"\\ud800"', '"a\\udfffb"', '"\\udc00\\ud800"']) {
        const error = decodeError(format, envelopes[format](lone), 2, T.VARCHAR);
        assert.equal(error.code, 'E_TYPE_COERCION', error.message);
        assert.match(error.message, /function score returned a value that does not fit its return type VARCHAR: expected VARCHAR, got .*\(a lone UTF-16 surrogate: not text\)/);
        assert.equal(error.location.row, 0);
      }
      // a pair is one character, and fine
      const codec = createWireCodec(makeFunction(format, [T.INT], T.VARCHAR, {}, 'score'));
      assert.deepEqual(codec.decodeReply(bytesOf(envelopes[format]('"\\ud83d\\ude00"')), 2).results, ['\u{1F600}', '\u{1F600}']);
    });
  }
});

