import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { parseStatements } from '../../src/sql/statement.ts';

/** Asserts the parse fails with `code` at line:column, and that the message says where and matches `pattern`. */
function expectError(text: string, code: ErrorCode, line: number, column: number, pattern?: RegExp): LakefnError {
  let caught: unknown;
  try {
    parseStatements(text);
  } catch (error) {
    caught = error;
  }
  assert.ok(LakefnError.isInstance(caught), `expected a LakefnError for ${text}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.location.line, line, caught.message);
  assert.equal(caught.location.column, column, caught.message);
  assert.ok(caught.message.includes(`${line}:${column}`), caught.message);
  if (pattern !== undefined) assert.match(caught.message, pattern);
  return caught;
}

const HEAD = 'CREATE API CONNECTION c TYPE CLOUD_FUNCTION ';
// Column where the first property starts, after HEAD.
const AT = HEAD.length + 1;
const AWS = "PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'";

describe('lexical errors', () => {
  it('unterminated string, quoted identifier and block comment point at their start', () => {
    expectError("DESC CONNECTION c;\nSHOW CONNECTIONS LIKE 'abc", 'E_SYNTAX', 2, 23, /unterminated string literal/);
    expectError('DESC CONNECTION "abc', 'E_SYNTAX', 1, 17, /unterminated quoted identifier \(missing closing "\)/);
    expectError('DESC CONNECTION `abc', 'E_SYNTAX', 1, 17, /missing closing `/);
    expectError('DESC CONNECTION c /* never closed', 'E_SYNTAX', 1, 19, /unterminated \/\* comment/);
  });

  it('unexpected characters, shown visibly', () => {
    expectError('DESC CONNECTION c!', 'E_SYNTAX', 1, 18, /unexpected character '!'/);
    expectError('DESC\u0000 CONNECTION c', 'E_SYNTAX', 1, 5, /unexpected character \\x00/);
    expectError("CREATE EXTERNAL FUNCTION f(x DECIMAL(1x)) RETURNS INT CONNECTION c", 'E_SYNTAX', 1, 38, /unexpected character 'x' in number/);
  });

  it('refuses oversized input up front', () => {
    expectError(' '.repeat(1_048_577), 'E_SYNTAX', 1, 1, /at most 1048576/);
  });
});

describe('statement syntax errors', () => {
  const cases: readonly [string, number, number, RegExp][] = [
    ['SELECT 1', 1, 1, /unknown statement 'SELECT'/],
    ['42', 1, 1, /expected a statement/],
    [`${HEAD}PROVIDER 'aws'`, 1, AT + 9, /expected '=' after PROVIDER, found string 'aws'/],
    [`${HEAD}PROVIDER = aws`, 1, AT + 11, /expected a string literal for PROVIDER, found 'aws'/],
    [`${HEAD}REGION =`, 1, AT + 8, /expected a value for REGION, found end of input/],
    ['CREATE API CONNECTION c PROVIDER = \'aws\'', 1, 25, /expected TYPE after the connection name/],
    ['CREATE API CONNECTION c TYPE STORAGE', 1, 30, /expected CLOUD_FUNCTION after TYPE/],
    ['CREATE OR REPLACE API CONNECTION IF NOT EXISTS c TYPE CLOUD_FUNCTION', 1, 34, /OR REPLACE and IF NOT EXISTS cannot be combined/],
    ['CREATE API CONNECTION TYPE', 1, 27, /expected TYPE after the connection name .*, found end of input/],
    ['CREATE API CONNECTION 5', 1, 23, /expected a connection name, found '5'/],
    [`${HEAD}${AWS} COMMENT 'a' COMMENT 'b'`, 1, AT + AWS.length + 13, /COMMENT is given twice/],
    [`${HEAD}${AWS} (`, 1, AT + AWS.length + 1, /expected a property .*, found '\('/],
    [`${HEAD}WITH (`, 1, AT + 5, /expected PROPERTIES after WITH/],
    [`${HEAD}WITH PROPERTIES ('a' 'b')`, 1, AT + 21, /expected '=' after 'a'/],
    [`${HEAD}WITH PROPERTIES ('cloud_function.region'='x'`, 1, AT + 44, /expected '\)' to close WITH PROPERTIES/],
    ['DESC CONNECTION a DESC CONNECTION b', 1, 19, /expected ';' or the end of input after the statement, found 'DESC'/],
    ['DESC TABLE t', 1, 6, /expected \[API\] CONNECTION or \[EXTERNAL\] FUNCTION after DESC/],
    ['SHOW TABLES', 1, 6, /expected \[API\] CONNECTIONS or \[EXTERNAL\] FUNCTIONS after SHOW/],
    ['SHOW CONNECTIONS LIKE prod', 1, 23, /expected a string literal after LIKE/],
    ['ALTER TABLE t', 1, 7, /expected CONNECTION after ALTER/],
    ['ALTER CONNECTION c RENAME TO d', 1, 20, /expected SET or ROTATE EXTERNAL_ID/],
    ['ALTER CONNECTION c ROTATE KEY', 1, 27, /expected EXTERNAL_ID after ROTATE/],
    ['ALTER CONNECTION c SET', 1, 23, /expected a property name/],
    ['ALTER CONNECTION c SET REGION = NULL', 1, 33, /expected a string literal for REGION, found 'NULL'/],
    ['ALTER CONNECTION c SET CODE_BUCKET = 5', 1, 38, /expected a string literal or NULL for CODE_BUCKET/],
    ['VALIDATE c', 1, 10, /expected CONNECTION after VALIDATE/],
    ['DROP CONNECTION IF EXISTS', 1, 26, /expected a connection name, found end of input/],
    ['DROP CONNECTION c RESTRICT', 1, 19, /expected ';'/],
    ['CREATE FUNCTION f() RETURNS INT CONNECTION c', 1, 8, /expected EXTERNAL FUNCTION/],
    ['CREATE TABLE t', 1, 8, /expected OR REPLACE, API CONNECTION or EXTERNAL FUNCTION after CREATE/],
    ['CREATE EXTERNAL FUNCTION f RETURNS INT', 1, 28, /expected '\(' after the function name/],
    ['CREATE EXTERNAL FUNCTION f(x) RETURNS INT', 1, 29, /expected a type/],
    ['CREATE EXTERNAL FUNCTION f(x INT RETURNS INT', 1, 34, /expected '\)' after the arguments/],
    ['CREATE EXTERNAL FUNCTION f(x INT)', 1, 34, /expected RETURNS after the argument list, found end of input/],
    ['CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT', 1, 46, /expected CONNECTION <connection name>/],
    ['CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c CONNECTION d', 1, 55, /CONNECTION is given twice/],
    ['CREATE EXTERNAL FUNCTION f() RETURNS INT CALLED ON NULL INPUT RETURNS NULL ON NULL INPUT CONNECTION c', 1, 63, /null-input clause is given twice/],
    ['CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c AS fn', 1, 58, /expected a string literal after AS/],
    ['CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c LANGUAGE python', 1, 55, /expected RETURNS NULL ON NULL INPUT, CALLED ON NULL INPUT, CONNECTION, AS, WITH PROPERTIES, COMMENT or the end/],
    ['CREATE OR REPLACE EXTERNAL FUNCTION IF NOT EXISTS f() RETURNS INT CONNECTION c', 1, 37, /cannot be combined/],
    ['CREATE EXTERNAL FUNCTION a.b.c() RETURNS INT CONNECTION c', 1, 29, /expected '\(' after the function name, found '\.'/],
    ['CREATE EXTERNAL FUNCTION f(x ARRAY<INT) RETURNS INT CONNECTION c', 1, 39, /expected '>' to close ARRAY</],
    ['CREATE EXTERNAL FUNCTION f(x MAP<INT INT>) RETURNS INT CONNECTION c', 1, 38, /expected ',' between MAP key and value types/],
    ['CREATE EXTERNAL FUNCTION f(x DECIMAL(10,) RETURNS INT CONNECTION c', 1, 41, /expected DECIMAL scale \(an integer\)/],
    ['CREATE EXTERNAL FUNCTION f(x STRUCT<>) RETURNS INT CONNECTION c', 1, 37, /expected a STRUCT field name/],
  ];
  for (const [text, line, column, pattern] of cases) {
    it(text.length > 70 ? `${text.slice(0, 67)}…` : text, () => {
      expectError(text, 'E_SYNTAX', line, column, pattern);
    });
  }

  it('positions on later lines are relative to that line', () => {
    expectError("CREATE API CONNECTION c\n  TYPE CLOUD_FUNCTION\n  PROVIDER = 'aws'\n  REGION 'us-east-1'", 'E_SYNTAX', 4, 10, /syntax error at 4:10: expected '=' after REGION/);
  });

  it('the message is exactly "syntax error at line:column: …"', () => {
    const error = expectError(`${HEAD}REGION 'x'`, 'E_SYNTAX', 1, AT + 7);
    assert.equal(error.message, `syntax error at 1:${AT + 7}: expected '=' after REGION, found string 'x'`);
  });
});

describe('connection property errors', () => {
  it('unknown property with a did-you-mean, in both syntaxes', () => {
    expectError(`${HEAD}REGON = 'us-east-1'`, 'E_UNKNOWN_PROPERTY', 1, AT, /unknown connection property REGON at 1:\d+; did you mean REGION\?/);
    expectError(`${HEAD}WITH PROPERTIES ('cloud_function.role_rn' = 'x')`, 'E_UNKNOWN_PROPERTY', 1, AT + 17, /did you mean 'cloud_function\.role_arn'\?/);
    expectError(`${HEAD}WITH PROPERTIES ('codebucket' = 'x')`, 'E_UNKNOWN_PROPERTY', 1, AT + 17, /did you mean 'code_bucket'\?/);
    expectError(`${HEAD}COLOUR = 'blue'`, 'E_UNKNOWN_PROPERTY', 1, AT, /unknown connection property COLOUR at 1:\d+ \(known: PROVIDER, REGION, ROLE_ARN, NAMESPACE, CODE_BUCKET\)/);
    expectError("ALTER CONNECTION c SET comentt = 'x'", 'E_UNKNOWN_PROPERTY', 1, 24, /did you mean COMMENT\?/);
  });

  it('a property given twice, across both syntaxes', () => {
    expectError(`${HEAD}${AWS} WITH PROPERTIES ('cloud_function.region' = 'us-east-2')`, 'E_INVALID_PROPERTY', 1, AT + AWS.length + 18, /property 'cloud_function\.region' is given twice \(first at 1:\d+\)/);
    expectError("ALTER CONNECTION c SET REGION = 'a', region = 'b'", 'E_INVALID_PROPERTY', 1, 38, /REGION is given twice \(first at 1:24\)/);
  });

  it('a missing required property is named', () => {
    expectError(`${HEAD}REGION = 'us-east-1'`, 'E_INVALID_PROVIDER', 1, AT + 20, /property PROVIDER is required/);
    expectError(`${HEAD}PROVIDER = 'aws' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'`, 'E_INVALID_REGION', 1, AT + 62, /property REGION is required/);
    expectError(`${HEAD}PROVIDER = 'aws' REGION = 'us-east-1';`, 'E_INVALID_ROLE_ARN', 1, AT + 37, /property ROLE_ARN is required/);
    expectError(`${HEAD}PROVIDER = 'tencent' REGION = 'ap-beijing' ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/r'`, 'E_INVALID_NAMESPACE', 1, AT + 93, /property NAMESPACE is required \(Tencent Cloud SCF needs/);
  });

  it('invalid values are reported at the value, naming field, value and rule', () => {
    const expected = PROVIDER_NAMES.map((name) => `'${name}'`).join(', ');
    expectError(`${HEAD}PROVIDER = 'azure'`, 'E_INVALID_PROVIDER', 1, AT + 11, new RegExp(`PROVIDER 'azure' is not supported \\(expected one of ${expected}\\)`));
    const error = expectError(`${HEAD}PROVIDER = 'aws'\nREGION = 'us-east-1'\nROLE_ARN = 'arn:aws:iam::123:role/x'`, 'E_INVALID_ROLE_ARN', 3, 12);
    assert.equal(error.message, "ROLE_ARN 'arn:aws:iam::123:role/x' is not an AWS role ARN (expected arn:aws|aws-cn|aws-us-gov:iam::<12 digits>:role/[path/]<name of 1-64 [A-Za-z0-9+=,.@_-]>) at 3:12");
    expectError(`${HEAD}PROVIDER = 'aws' REGION = 'cn-north-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'`, 'E_INVALID_ROLE_ARN', 1, AT + 50, /partition 'aws' but REGION 'cn-north-1' belongs to partition 'aws-cn'/);
    expectError(`${HEAD}${AWS} CODE_BUCKET = 'Bad_Bucket'`, 'E_INVALID_CODE_BUCKET', 1, AT + AWS.length + 15, /CODE_BUCKET 'Bad_Bucket' is not an S3 bucket name/);
    expectError(`${HEAD}${AWS} COMMENT ' padded'`, 'E_INVALID_COMMENT', 1, AT + AWS.length + 9, /leading or trailing whitespace \(values are never trimmed\)/);
    expectError(`${HEAD}PROVIDER = 'aws' REGION = 'us-east-1 ' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'`, 'E_INVALID_REGION', 1, AT + 26, /leading or trailing whitespace/);
    expectError("ALTER CONNECTION c SET PROVIDER = 'gcp'", 'E_INVALID_PROVIDER', 1, 35);
    expectError("ALTER CONNECTION c SET NAMESPACE = '-x'", 'E_INVALID_NAMESPACE', 1, 36);
    expectError("ALTER CONNECTION c SET ROLE_ARN = 'a\tb'", 'E_INVALID_ROLE_ARN', 1, 35, /control character/);
  });

  it('names: length, emptiness and control characters', () => {
    expectError(`DESC CONNECTION ${'n'.repeat(129)}`, 'E_INVALID_NAME', 1, 17, /has 129 characters \(allowed length 1\.\.128\)/);
    expectError('DESC CONNECTION ""', 'E_INVALID_NAME', 1, 17, /is empty/);
    expectError('DESC CONNECTION " x"', 'E_INVALID_NAME', 1, 17, /leading or trailing whitespace/);
    expectError('DESC CONNECTION "a\nb"', 'E_INVALID_NAME', 1, 17, /control character/);
    expectError('DROP FUNCTION "a.b"', 'E_INVALID_NAME', 1, 15, /may not contain '\.'/);
    expectError("SHOW CONNECTIONS LIKE ''", 'E_INVALID_ARGUMENT', 1, 23, /LIKE is empty/);
  });
});

describe('the external ID is never settable', () => {
  const explanation = /cannot be set .*confused-deputy.*ALTER API CONNECTION <name> ROTATE EXTERNAL_ID replaces it/;
  const cases: readonly [string, number, number][] = [
    [`${HEAD}${AWS} EXTERNAL_ID = 'mine'`, 1, AT + AWS.length + 1],
    [`${HEAD}external_id = 'mine' ${AWS}`, 1, AT],
    [`${HEAD}${AWS} WITH PROPERTIES ('cloud_function.external_id' = 'mine')`, 1, AT + AWS.length + 18],
    [`${HEAD}WITH PROPERTIES ('EXTERNAL-ID' = 'mine')`, 1, AT + 17],
    [`${HEAD}WITH PROPERTIES ('cloud_function.externalId' = 'mine')`, 1, AT + 17],
    [`${HEAD}ExternalID = 'mine'`, 1, AT],
    ["ALTER API CONNECTION c SET EXTERNAL_ID = 'mine'", 1, 28],
    ["ALTER API CONNECTION c SET REGION = 'us-east-1', 'cloud_function.external_id' = 'mine'", 1, 50],
    ["CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('external_id' = 'x')", 1, 72],
  ];
  for (const [text, line, column] of cases) {
    it(text.slice(HEAD.length > text.length ? 0 : 0, 90), () => {
      const error = expectError(text, 'E_EXTERNAL_ID_NOT_SETTABLE', line, column, explanation);
      assert.equal(error.location.field, 'EXTERNAL_ID');
      assert.ok(!error.message.includes('mine'), 'the offered value is not echoed');
    });
  }
});

describe('function errors', () => {
  const create = 'CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c ';
  const at = create.length + 1;
  it('USING ARCHIVE is recognised but not supported yet', () => {
    expectError(`${create}USING ARCHIVE 'oss://bucket/code.zip'`, 'E_NOT_SUPPORTED', 1, at, /USING ARCHIVE at 1:\d+ is not yet supported/);
  });

  it('unknown property with did-you-mean; bad values; duplicates; null policy conflict', () => {
    expectError(`${create}WITH PROPERTIES ('max_batch_row' = '5')`, 'E_UNKNOWN_PROPERTY', 1, at + 17, /unknown function property 'max_batch_row' at 1:\d+; did you mean 'max_batch_rows'\?/);
    expectError(`${create}WITH PROPERTIES ('max_batch_rows' = '0')`, 'E_INVALID_PROPERTY', 1, at + 36, /'max_batch_rows' = '0' must be an integer in 1\.\.100000/);
    expectError(`${create}WITH PROPERTIES ('max_batch_rows' = '100001')`, 'E_INVALID_PROPERTY', 1, at + 36);
    expectError(`${create}WITH PROPERTIES ('timeout_ms' = '99')`, 'E_INVALID_PROPERTY', 1, at + 32, /100\.\.900000/);
    expectError(`${create}WITH PROPERTIES ('timeout_ms' = '900001')`, 'E_INVALID_PROPERTY', 1, at + 32);
    expectError(`${create}WITH PROPERTIES ('max_concurrency' = '1025')`, 'E_INVALID_PROPERTY', 1, at + 37, /1\.\.1024/);
    expectError(`${create}WITH PROPERTIES ('max_batch_bytes' = '33554433')`, 'E_INVALID_PROPERTY', 1, at + 37, /1\.\.33554432/);
    expectError(`${create}WITH PROPERTIES ('max_batch_rows' = '1e3')`, 'E_INVALID_PROPERTY', 1, at + 36);
    expectError(`${create}WITH PROPERTIES ('max_batch_rows' = ' 5')`, 'E_INVALID_PROPERTY', 1, at + 36);
    expectError(`${create}WITH PROPERTIES ('max_batch_rows' = '99999999999999999999')`, 'E_INVALID_PROPERTY', 1, at + 36);
    expectError(`${create}WITH PROPERTIES ('format' = 'xml')`, 'E_INVALID_PROPERTY', 1, at + 28, /must be one of 'lakefn', 'snowflake', 'bigquery', 'redshift'/);
    expectError(`${create}WITH PROPERTIES ('retry' = 'always')`, 'E_INVALID_PROPERTY', 1, at + 27, /'auto', 'none'/);
    expectError(`${create}WITH PROPERTIES ('retry' = 'none', 'RETRY' = 'auto')`, 'E_INVALID_PROPERTY', 1, at + 35, /given twice \(first at 1:72\)/);
    expectError(`CREATE EXTERNAL FUNCTION f() RETURNS INT CALLED ON NULL INPUT CONNECTION c WITH PROPERTIES ('null_policy' = 'returns_null')`, 'E_INVALID_PROPERTY', 1, 93, /contradicts the CALLED ON NULL INPUT clause/);
    expectError(`${create}WITH PROPERTIES ()  WITH PROPERTIES ()`, 'E_SYNTAX', 1, at + 20, /WITH PROPERTIES is given twice/);
  });

  it('arguments, types and AS', () => {
    expectError('CREATE EXTERNAL FUNCTION f(a INT, A BIGINT) RETURNS INT CONNECTION c', 'E_INVALID_ARGUMENT', 1, 35, /argument 'A' appears twice/);
    expectError('CREATE EXTERNAL FUNCTION f(a TINYINT) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 30, /unsupported type 'TINYINT' \(supported: BOOLEAN/);
    expectError('CREATE EXTERNAL FUNCTION f(a toString) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 30);
    expectError('CREATE EXTERNAL FUNCTION f(a MAP<DOUBLE,INT>) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 34, /MAP key type must be VARCHAR, INT or BIGINT, not DOUBLE/);
    expectError('CREATE EXTERNAL FUNCTION f(a DECIMAL(39,0)) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 38, /DECIMAL precision 39 is out of range \(1\.\.38\)/);
    expectError('CREATE EXTERNAL FUNCTION f(a DECIMAL(0)) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 38);
    expectError('CREATE EXTERNAL FUNCTION f(a DECIMAL(5,6)) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 40, /DECIMAL scale 6 is out of range \(0\.\.5\)/);
    expectError('CREATE EXTERNAL FUNCTION f(a VARCHAR(0)) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 38);
    expectError('CREATE EXTERNAL FUNCTION f(a STRUCT<x INT, X INT>) RETURNS INT CONNECTION c', 'E_INVALID_TYPE', 1, 44, /STRUCT field 'X' appears twice/);
    expectError(`CREATE EXTERNAL FUNCTION f(a ${'ARRAY<'.repeat(40)}INT${'>'.repeat(40)}) RETURNS INT CONNECTION c`, 'E_INVALID_TYPE', 1, 30 + 32 * 6, /nested deeper than 32 levels/);
    expectError(`${create}AS ''`, 'E_INVALID_FUNCTION', 1, at + 3, /AS is empty/);
    expectError(`${create}AS 'fn\n'`, 'E_INVALID_FUNCTION', 1, at + 3, /control character/);
    expectError(`${create}COMMENT '${'c'.repeat(1025)}'`, 'E_INVALID_COMMENT', 1, at + 8, /allowed length 1\.\.1024/);
  });
});
