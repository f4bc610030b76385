import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConnectionFields } from '../../src/catalog/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import { matchesLikePattern } from '../../src/sql/like-pattern.ts';
import { parseStatements } from '../../src/sql/statement.ts';

// ~100k-character inputs built to trigger super-linear behaviour in a naive lexer, parser or regex.
// The assertions are about the outcome; a quadratic or exponential path would show as a test timeout.
const LARGE = 100_000;
const HEAD = 'CREATE API CONNECTION c TYPE CLOUD_FUNCTION ';

function rejectsWith(text: string, code: ErrorCode, pattern?: RegExp): void {
  assert.throws(() => parseStatements(text), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    if (pattern !== undefined) assert.match(error.message, pattern);
    assert.ok(error.message.length < 1_000, `message has ${error.message.length} characters`);
    return true;
  });
}

describe('adversarial inputs are handled in one pass', () => {
  it('lexer: unterminated constructs and long runs', () => {
    rejectsWith(`SHOW CONNECTIONS LIKE '${"''".repeat(LARGE / 2)}`, 'E_SYNTAX', /unterminated string literal/);
    rejectsWith(`DESC CONNECTION "${'""'.repeat(LARGE / 2)}`, 'E_SYNTAX', /unterminated quoted identifier/);
    rejectsWith('/* '.repeat(LARGE / 3), 'E_SYNTAX', /unterminated \/\* comment/);
    assert.deepEqual(parseStatements('/*x*/'.repeat(LARGE / 5)), []);
    assert.deepEqual(parseStatements('-- x\n'.repeat(LARGE / 5)), []);
    assert.deepEqual(parseStatements(';'.repeat(LARGE)), []);
    assert.deepEqual(parseStatements(`/*${'*'.repeat(LARGE)}*/`), []);
    rejectsWith('9'.repeat(LARGE), 'E_SYNTAX', /expected a statement/);
  });

  it('parser: long names, keys and values are length-checked', () => {
    rejectsWith(`DESC CONNECTION ${'n'.repeat(LARGE)}`, 'E_INVALID_NAME', /has 100000 characters/);
    rejectsWith(`DESC CONNECTION "${'""'.repeat(LARGE / 2)}"`, 'E_INVALID_NAME', /has 50000 characters/);
    rejectsWith(`${HEAD}${'k'.repeat(LARGE)} = 'v'`, 'E_UNKNOWN_PROPERTY');
    rejectsWith(`${HEAD}PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/${'a/'.repeat(LARGE / 2)}'`, 'E_INVALID_ROLE_ARN', /allowed length 1\.\.2048/);
    rejectsWith(`${HEAD}PROVIDER = 'aws' REGION = '${'a-'.repeat(LARGE / 2)}' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'`, 'E_INVALID_REGION', /allowed length/);
    rejectsWith(`${HEAD}PROVIDER = 'aws' COMMENT '${"x''".repeat(LARGE / 3)}'`, 'E_INVALID_COMMENT', /allowed length 1\.\.1024/);
    rejectsWith(`SHOW CONNECTIONS LIKE '${'%'.repeat(LARGE)}'`, 'E_INVALID_ARGUMENT', /allowed length 1\.\.256/);
    rejectsWith(`CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c AS '${'a:'.repeat(LARGE / 2)}'`, 'E_INVALID_FUNCTION');
  });

  it('parser: deep nesting and long lists', () => {
    rejectsWith(`CREATE EXTERNAL FUNCTION f(x ${'ARRAY<'.repeat(LARGE / 6)}INT) RETURNS INT CONNECTION c`, 'E_INVALID_TYPE', /nested deeper than 32/);
    rejectsWith(`CREATE EXTERNAL FUNCTION f(x ${'STRUCT<a '.repeat(LARGE / 9)}INT) RETURNS INT CONNECTION c`, 'E_INVALID_TYPE', /nested deeper than 32/);
    rejectsWith('('.repeat(LARGE), 'E_SYNTAX');
    const manyArguments = Array.from({ length: 5_000 }, (_, index) => `a${index} INT`).join(', ');
    const [statement] = parseStatements(`CREATE EXTERNAL FUNCTION f(${manyArguments}) RETURNS INT CONNECTION c`);
    assert.equal(statement?.kind === 'create-function' && statement.arguments.length, 5_000);
    const manyProperties = Array.from({ length: 10_000 }, () => "'retry' = 'none'").join(', ');
    rejectsWith(`CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES (${manyProperties})`, 'E_INVALID_PROPERTY', /given twice/);
    assert.equal(parseStatements('SHOW CONNECTIONS;'.repeat(LARGE / 20)).length, LARGE / 20);
  });

  it('catalog patterns: worst cases just under the length limits', () => {
    const base = { provider: 'aws', region: 'us-east-1', namespace: 'default', codeBucket: null, comment: null } as const;
    // A path of 1-character segments ending where no role name can match.
    const pathological = `arn:aws:iam::123456789012:role/${'a/'.repeat(1_000)}!`;
    assert.ok(pathological.length <= 2048);
    assert.throws(() => validateConnectionFields({ ...base, roleArn: pathological }), { code: 'E_INVALID_ROLE_ARN' });
    assert.throws(() => validateConnectionFields({ ...base, roleArn: `arn:aws:iam::123456789012:role/${'/'.repeat(2_000)}` }), { code: 'E_INVALID_ROLE_ARN' });
    assert.throws(() => validateConnectionFields({ ...base, provider: 'aliyun', region: `cn-${'a-'.repeat(13)}`, roleArn: 'acs:ram::123456789012:role/r' }), { code: 'E_INVALID_REGION' });
    assert.throws(() => validateConnectionFields({ ...base, provider: 'tencent', region: 'ap-beijing', roleArn: 'qcs::cam::uin/12345:roleName/r', codeBucket: `${'a-'.repeat(30)}1` }), { code: 'E_INVALID_CODE_BUCKET' });
  });

  it('LIKE matching with many wildcards stays correct', () => {
    const pattern = `${'%a'.repeat(127)}b`;
    assert.equal(matchesLikePattern(pattern, 'a'.repeat(128)), false);
    assert.equal(matchesLikePattern(pattern, `${'a'.repeat(127)}b`), true);
  });
});
