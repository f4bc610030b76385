import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatements } from '../../src/sql/statement.ts';
import type { CreateFunctionStatement, Statement, StatementBody } from '../../src/sql/statement.ts';
import { DEFAULT_FUNCTION_PROPERTIES, formatSqlType } from '../../src/spec/index.ts';

function parseOne(text: string): Statement {
  const statements = parseStatements(text);
  assert.equal(statements.length, 1);
  const [statement] = statements;
  assert.ok(statement !== undefined);
  return statement;
}

function parseFunction(text: string): CreateFunctionStatement {
  const statement = parseOne(text);
  assert.ok(statement.kind === 'create-function', statement.kind);
  return statement;
}

describe('CREATE EXTERNAL FUNCTION', () => {
  it('the full SPEC §3 form', () => {
    const text = `CREATE OR REPLACE EXTERNAL FUNCTION analytics.Sentiment(review VARCHAR, score DOUBLE) RETURNS DECIMAL(10,2)
  RETURNS NULL ON NULL INPUT
  CONNECTION my_conn
  AS 'sentiment-fn:prod'
  WITH PROPERTIES ('max_batch_rows'='100', 'max_batch_bytes'='65536', 'format'='Snowflake', 'retry'='none',
                   'on_row_error'='null', 'volatility'='immutable', 'timeout_ms'='5000', 'max_concurrency'='4')
  COMMENT 'sentiment score'`;
    assert.deepEqual(parseOne(text), {
      kind: 'create-function',
      name: 'analytics.sentiment',
      orReplace: true,
      ifNotExists: false,
      arguments: [{ name: 'review', type: { kind: 'VARCHAR' } }, { name: 'score', type: { kind: 'DOUBLE' } }],
      returnType: { kind: 'DECIMAL', precision: 10, scale: 2 },
      connectionName: 'my_conn',
      cloudFunction: 'sentiment-fn',
      qualifier: 'prod',
      properties: { maxBatchRows: 100, maxBatchBytes: 65536, format: 'snowflake', retry: 'none', onRowError: 'null', volatility: 'immutable', timeoutMs: 5000, maxConcurrency: 4, nullPolicy: 'returns_null', auditLevel: 'summary' },
      comment: 'sentiment score',
      position: { line: 1, column: 1 },
      text,
    });
  });

  it('minimal form: defaults, cloud function = SQL name without schema, no arguments', () => {
    const statement = parseFunction('create external function if not exists s."MyFn"() returns int connection c');
    assert.equal(statement.name, 's.MyFn');
    assert.equal(statement.ifNotExists, true);
    assert.deepEqual(statement.arguments, []);
    assert.equal(statement.cloudFunction, 'MyFn');
    assert.equal(statement.qualifier, null);
    assert.deepEqual(statement.properties, DEFAULT_FUNCTION_PROPERTIES);
    assert.equal(statement.comment, null);
  });

  it('clauses in any order; CALLED ON NULL INPUT; COMMENT =; numeric and bare-word property values', () => {
    const statement = parseFunction("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT COMMENT = 'c' WITH PROPERTIES (max_batch_rows = 7, format = bigquery) AS 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST' CALLED ON NULL INPUT CONNECTION c");
    assert.equal(statement.properties.maxBatchRows, 7);
    assert.equal(statement.properties.format, 'bigquery');
    assert.equal(statement.properties.nullPolicy, 'called');
    assert.equal(statement.cloudFunction, 'arn:aws:lambda:us-east-1:123456789012:function:f');
    assert.equal(statement.qualifier, '$LATEST');
    assert.equal(statement.comment, 'c');
  });

  it("null_policy property, alone or agreeing with the clause", () => {
    assert.equal(parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('null_policy'='returns_null')").properties.nullPolicy, 'returns_null');
    assert.equal(parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT RETURNS NULL ON NULL INPUT CONNECTION c WITH PROPERTIES ('null_policy'='returns_null')").properties.nullPolicy, 'returns_null');
  });

  it('envelope: absent unless written (the provider decides per format), api_gateway or none when written', () => {
    assert.equal('envelope' in parseFunction('CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c').properties, false);
    assert.equal(parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('format'='snowflake', 'envelope'='API_GATEWAY')").properties.envelope, 'api_gateway');
    assert.equal(parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('envelope'='none')").properties.envelope, 'none');
    assert.throws(() => parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('envelope'='http')"), /'envelope' = 'http' must be one of 'api_gateway', 'none'/);
  });

  it('property ranges: boundaries accepted', () => {
    const statement = parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('max_batch_rows'='100000', 'max_batch_bytes'='33554432', 'timeout_ms'='100', 'max_concurrency'='1024')");
    assert.equal(statement.properties.maxBatchRows, 100_000);
    assert.equal(statement.properties.maxBatchBytes, 33_554_432);
    assert.equal(statement.properties.timeoutMs, 100);
    assert.equal(statement.properties.maxConcurrency, 1024);
    assert.equal(parseFunction("CREATE EXTERNAL FUNCTION f() RETURNS INT CONNECTION c WITH PROPERTIES ('timeout_ms'='900000', 'max_batch_rows'='1')").properties.timeoutMs, 900_000);
  });
});

describe('types', () => {
  const cases: readonly [string, string][] = [
    ['BOOLEAN', 'BOOLEAN'], ['bool', 'BOOLEAN'], ['INT', 'INT'], ['integer', 'INT'], ['BIGINT', 'BIGINT'], ['FLOAT', 'FLOAT'],
    ['DOUBLE', 'DOUBLE'], ['DECIMAL', 'DECIMAL(38,0)'], ['NUMERIC(5)', 'DECIMAL(5,0)'], ['decimal(38, 38)', 'DECIMAL(38,38)'],
    ['DECIMAL(1,0)', 'DECIMAL(1,0)'], ['VARCHAR', 'VARCHAR'], ['VARCHAR(255)', 'VARCHAR'], ['STRING', 'VARCHAR'], ['DATE', 'DATE'],
    ['TIMESTAMP', 'TIMESTAMP'], ['BINARY', 'BINARY'], ['JSON', 'JSON'], ['ARRAY<INT>', 'ARRAY<INT>'],
    ['array<array<string>>', 'ARRAY<ARRAY<VARCHAR>>'], ['MAP<VARCHAR, ARRAY<DOUBLE>>', 'MAP<VARCHAR,ARRAY<DOUBLE>>'],
    ['MAP<BIGINT,JSON>', 'MAP<BIGINT,JSON>'], ['MAP<INT,MAP<STRING,INT>>', 'MAP<INT,MAP<VARCHAR,INT>>'],
    ['STRUCT<a INT, bName: VARCHAR, "c d" ARRAY<DATE>>', 'STRUCT<a INT,bName VARCHAR,c d ARRAY<DATE>>'],
    [`${'ARRAY<'.repeat(31)}INT${'>'.repeat(31)}`, `${'ARRAY<'.repeat(31)}INT${'>'.repeat(31)}`],
  ];
  for (const [written, canonical] of cases) {
    it(written.length > 60 ? 'ARRAY nested 31 deep' : written, () => {
      const statement = parseFunction(`CREATE EXTERNAL FUNCTION f(x ${written}) RETURNS ${written} CONNECTION c`);
      assert.equal(formatSqlType(statement.returnType), canonical);
      assert.equal(formatSqlType(statement.arguments[0]?.type ?? { kind: 'JSON' }), canonical);
    });
  }
});

describe('DESC, SHOW and DROP FUNCTION', () => {
  const cases: readonly [string, StatementBody][] = [
    ['DESC FUNCTION f', { kind: 'describe-function', name: 'f' }],
    ['DESCRIBE EXTERNAL FUNCTION Sch.F', { kind: 'describe-function', name: 'sch.f' }],
    ['SHOW FUNCTIONS', { kind: 'show-functions', like: null }],
    ["SHOW EXTERNAL FUNCTIONS LIKE '%score_'", { kind: 'show-functions', like: '%score_' }],
    ['DROP FUNCTION f', { kind: 'drop-function', name: 'f', ifExists: false }],
    ['DROP EXTERNAL FUNCTION IF EXISTS `s`.`F`', { kind: 'drop-function', name: 's.F', ifExists: true }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      assert.deepEqual(parseOne(text), { ...expected, position: { line: 1, column: 1 }, text });
    });
  }
});
