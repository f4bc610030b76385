import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LakefnError } from '../../src/errors/index.ts';
import { parseStatements } from '../../src/sql/statement.ts';
import type { Statement } from '../../src/sql/statement.ts';

const VALID_STATEMENTS = [
  "CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-shanghai' ROLE_ARN = 'acs:ram::1222800000000000:role/czudfrole' NAMESPACE = 'default' CODE_BUCKET = 'my-bucket' COMMENT 'text'",
  "CREATE OR REPLACE API CONNECTION t TYPE CLOUD_FUNCTION WITH PROPERTIES ('cloud_function.provider'='tencent', 'cloud_function.region'='ap-beijing', 'cloud_function.role_arn'='qcs::cam::uin/100000000001:roleName/LakehouseRole', 'cloud_function.namespace'='default', 'cloud_function.code_bucket'='myfunction-1310000000') COMMENT = 'x'",
  "CREATE API CONNECTION IF NOT EXISTS `A` TYPE CLOUD_FUNCTION PROVIDER='aws' REGION='cn-north-1' ROLE_ARN='arn:aws-cn:iam::123456789012:role/p/r'",
  "CREATE EXTERNAL FUNCTION s.f(a INT, b ARRAY<MAP<VARCHAR, STRUCT<x: DECIMAL(10,2), y DATE>>>) RETURNS JSON RETURNS NULL ON NULL INPUT CONNECTION c AS 'fn:prod' WITH PROPERTIES ('max_batch_rows'='10', 'format'='redshift', 'timeout_ms'='1000') COMMENT 'c'",
  "DESC API CONNECTION c; SHOW CONNECTIONS LIKE 'a%'; ALTER API CONNECTION c SET REGION = 'us-east-2', CODE_BUCKET = NULL; ALTER CONNECTION c ROTATE EXTERNAL_ID",
  'VALIDATE API CONNECTION c; DROP API CONNECTION IF EXISTS c CASCADE; DESCRIBE EXTERNAL FUNCTION s.f; SHOW FUNCTIONS; DROP FUNCTION IF EXISTS "s"."f"',
];

const FRAGMENTS = [
  'CREATE', 'OR', 'REPLACE', 'API', 'CONNECTION', 'EXTERNAL', 'FUNCTION', 'IF', 'NOT', 'EXISTS', 'TYPE', 'CLOUD_FUNCTION',
  'PROVIDER', 'REGION', 'ROLE_ARN', 'NAMESPACE', 'CODE_BUCKET', 'EXTERNAL_ID', 'COMMENT', 'WITH', 'PROPERTIES', 'RETURNS',
  'NULL', 'ON', 'INPUT', 'CALLED', 'AS', 'USING', 'ARCHIVE', 'DESC', 'SHOW', 'ALTER', 'SET', 'ROTATE', 'VALIDATE', 'DROP',
  'CASCADE', 'LIKE', 'ARRAY', 'MAP', 'STRUCT', 'DECIMAL', 'INT', 'VARCHAR', 'toString', '__proto__', 'constructor',
  '(', ')', ',', ';', '=', '.', '<', '>', ':', "'", '"', '`', "''", '--', '/*', '*/', '\n', '\r', '\t', '\u0000', ' ',
  "'aws'", "'tencent'", "'cn-shanghai'", "'x'", '0', '38', '99999999999999999999', "'cloud_function.external_id'",
];

/** The parser's whole contract under hostile input: statements, or a LakefnError; never anything else. */
function parsesOrRejectsCleanly(text: string): Statement[] | LakefnError {
  try {
    return parseStatements(text);
  } catch (error) {
    if (LakefnError.isInstance(error)) {
      assert.ok(error.message.length < 4_000, `message too long (${error.message.length})`);
      return error;
    }
    throw error;
  }
}

/** A statement re-parsed from its own `text` is the same statement (bar position). */
function assertTextRoundTrips(statements: readonly Statement[]): void {
  for (const statement of statements) {
    const [again] = parseStatements(statement.text);
    assert.deepEqual({ ...again, position: null }, { ...statement, position: null });
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary-ascii', maxLength: 4 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function applyMutation(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % (text.length + 1);
  switch (change.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at + change.length) + text.slice(at, at + change.length) + text.slice(at + change.length);
    case 'truncate':
      return text.slice(0, at);
  }
}

describe('parser fuzzing', () => {
  it('the valid corpus parses and round-trips through statement text', () => {
    for (const text of VALID_STATEMENTS) {
      const statements = parseStatements(text);
      assert.ok(statements.length > 0);
      assertTextRoundTrips(statements);
    }
  });

  it('arbitrary strings: statements or a LakefnError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      parsesOrRejectsCleanly(text);
    }), { numRuns: 3_000 });
  });

  it('token soup: statements or a LakefnError', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) => {
      parsesOrRejectsCleanly(parts.join(' '));
    }), { numRuns: 3_000 });
  });

  it('mutated valid statements: statements (that round-trip) or a LakefnError', () => {
    fc.assert(fc.property(fc.constantFrom(...VALID_STATEMENTS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, changes) => {
      const result = parsesOrRejectsCleanly(changes.reduce(applyMutation, text));
      if (Array.isArray(result)) assertTextRoundTrips(result);
    }), { numRuns: 4_000 });
  });
});
