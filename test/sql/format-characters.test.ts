import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ErrorCode, LakefnError } from '../../src/errors/index.ts';
import { parseStatements } from '../../src/sql/statement.ts';

function expectError(text: string, code: ErrorCode, line: number, column: number, pattern: RegExp): void {
  assert.throws(() => parseStatements(text), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.location.line, line, error.message);
    assert.equal(error.location.column, column, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

const AWS = "CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'";

describe('SQL: Unicode format characters in COMMENT and quoted identifiers', () => {
  it('COMMENT with a right-to-left override (Trojan Source) → E_INVALID_COMMENT naming U+202E', () => {
    expectError(`${AWS} COMMENT 'sales \u202Emaet'`, 'E_INVALID_COMMENT', 1, AWS.length + 10, /COMMENT 'sales <U\+202E>maet' contains the invisible format or separator character U\+202E/);
  });

  it('COMMENT with a line or paragraph separator → rejected', () => {
    expectError(`${AWS} COMMENT 'a\u2028b'`, 'E_INVALID_COMMENT', 1, AWS.length + 10, /U\+2028/);
    expectError(`${AWS} COMMENT 'a\u2029b'`, 'E_INVALID_COMMENT', 1, AWS.length + 10, /U\+2029/);
  });

  it('quoted identifiers with zero-width or bidi characters → E_INVALID_NAME', () => {
    expectError('DESC CONNECTION "sa\u200Bles"', 'E_INVALID_NAME', 1, 17, /'sa<U\+200B>les' contains the invisible format or separator character U\+200B/);
    expectError('DROP API CONNECTION "\u202Ecarticle"', 'E_INVALID_NAME', 1, 21, /U\+202E/);
    expectError('DESC CONNECTION `x\uFEFF`', 'E_INVALID_NAME', 1, 17, /U\+FEFF/);
  });

  it('the same values without the format character parse', () => {
    assert.equal(parseStatements(`${AWS} COMMENT 'sales team'`).length, 1);
    assert.equal(parseStatements('DESC CONNECTION "sales"').length, 1);
  });
});
