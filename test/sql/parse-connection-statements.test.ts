import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatements } from '../../src/sql/statement.ts';
import type { Statement, StatementBody } from '../../src/sql/statement.ts';

function parseOne(text: string): Statement {
  const statements = parseStatements(text);
  assert.equal(statements.length, 1);
  const [statement] = statements;
  assert.ok(statement !== undefined);
  return statement;
}

const ALIYUN_KEYWORDS = `CREATE API CONNECTION my_conn
  TYPE CLOUD_FUNCTION
  PROVIDER = 'aliyun' REGION = 'cn-shanghai'
  ROLE_ARN = 'acs:ram::1222800000000000:role/czudfrole'
  NAMESPACE = 'default' CODE_BUCKET = 'my-bucket'
  COMMENT 'text'`;

const TENCENT_PROPERTIES = `CREATE API CONNECTION IF NOT EXISTS tc TYPE CLOUD_FUNCTION
  WITH PROPERTIES ('cloud_function.provider'='tencent', 'cloud_function.region'='ap-beijing',
                   'cloud_function.role_arn'='qcs::cam::uin/100000000001:roleName/LakehouseRole',
                   'cloud_function.namespace'='default', 'cloud_function.code_bucket'='myfunction-1310000000')
  COMMENT = 'text'`;

describe('CREATE API CONNECTION', () => {
  it('keyword form (SPEC §3 example)', () => {
    assert.deepEqual(parseOne(ALIYUN_KEYWORDS), {
      kind: 'create-connection',
      name: 'my_conn',
      orReplace: false,
      ifNotExists: false,
      cascade: false,
      fields: { provider: 'aliyun', region: 'cn-shanghai', roleArn: 'acs:ram::1222800000000000:role/czudfrole', namespace: 'default', codeBucket: 'my-bucket', comment: 'text' },
      position: { line: 1, column: 1 },
      text: ALIYUN_KEYWORDS,
    });
  });

  it('WITH PROPERTIES form with IF NOT EXISTS and COMMENT =', () => {
    const statement = parseOne(TENCENT_PROPERTIES);
    assert.equal(statement.kind, 'create-connection');
    assert.ok(statement.kind === 'create-connection');
    assert.equal(statement.ifNotExists, true);
    assert.deepEqual(statement.fields, { provider: 'tencent', region: 'ap-beijing', roleArn: 'qcs::cam::uin/100000000001:roleName/LakehouseRole', namespace: 'default', codeBucket: 'myfunction-1310000000', comment: 'text' });
  });

  it('OR REPLACE, case-insensitive keywords and provider, default namespace, optional commas and bucket', () => {
    const statement = parseOne("create or replace connection `My Conn` type cloud_function provider='AWS', region='us-west-2', role_arn='arn:aws:iam::123456789012:role/path/r'");
    assert.deepEqual(statement, {
      kind: 'create-connection',
      name: 'My Conn',
      orReplace: true,
      ifNotExists: false,
      cascade: false,
      fields: { provider: 'aws', region: 'us-west-2', roleArn: 'arn:aws:iam::123456789012:role/path/r', namespace: 'default', codeBucket: null, comment: null },
      position: { line: 1, column: 1 },
      text: "create or replace connection `My Conn` type cloud_function provider='AWS', region='us-west-2', role_arn='arn:aws:iam::123456789012:role/path/r'",
    });
  });

  it('mixes keyword properties and WITH PROPERTIES; property keys without the prefix', () => {
    const statement = parseOne("CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER = 'aws' WITH PROPERTIES ('region' = 'cn-north-1', 'CLOUD_FUNCTION.ROLE_ARN' = 'arn:aws-cn:iam::123456789012:role/r')");
    assert.ok(statement.kind === 'create-connection');
    assert.equal(statement.fields.region, 'cn-north-1');
  });

  it('allowUnknownRegion accepts a well-formed region missing from the list', () => {
    const text = "CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER='aws' REGION='eu-mars-1' ROLE_ARN='arn:aws:iam::123456789012:role/r'";
    assert.throws(() => parseStatements(text), { code: 'E_INVALID_REGION' });
    const [statement] = parseStatements(text, { allowUnknownRegion: true });
    assert.ok(statement?.kind === 'create-connection');
    assert.equal(statement.fields.region, 'eu-mars-1');
  });
});

describe('other connection statements', () => {
  const cases: readonly [string, StatementBody][] = [
    ['DESC CONNECTION c', { kind: 'describe-connection', name: 'c' }],
    ['describe api connection "C"', { kind: 'describe-connection', name: 'C' }],
    ['SHOW CONNECTIONS', { kind: 'show-connections', like: null }],
    ["SHOW API CONNECTIONS LIKE 'prod%'", { kind: 'show-connections', like: 'prod%' }],
    ["ALTER API CONNECTION c SET ROLE_ARN = 'arn:aws:iam::123456789012:role/x', REGION = 'us-east-2'", { kind: 'alter-connection-set', name: 'c', changes: { roleArn: 'arn:aws:iam::123456789012:role/x', region: 'us-east-2' } }],
    ["alter connection c set 'cloud_function.provider' = 'Tencent', namespace = 'ns1', comment = 'hi'", { kind: 'alter-connection-set', name: 'c', changes: { provider: 'tencent', namespace: 'ns1', comment: 'hi' } }],
    ['ALTER CONNECTION c SET CODE_BUCKET = NULL, COMMENT = null', { kind: 'alter-connection-set', name: 'c', changes: { codeBucket: null, comment: null } }],
    ['ALTER API CONNECTION c ROTATE EXTERNAL_ID', { kind: 'rotate-external-id', name: 'c' }],
    ['VALIDATE API CONNECTION c', { kind: 'validate-connection', name: 'c' }],
    ['validate connection c', { kind: 'validate-connection', name: 'c' }],
    ['DROP CONNECTION c', { kind: 'drop-connection', name: 'c', ifExists: false, cascade: false }],
    ['DROP API CONNECTION IF EXISTS c CASCADE', { kind: 'drop-connection', name: 'c', ifExists: true, cascade: true }],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      assert.deepEqual(parseOne(text), { ...expected, position: { line: 1, column: 1 }, text });
    });
  }
});

describe('scripts', () => {
  it('splits on ;, skips empty statements and comments, records each position and text', () => {
    const script = `-- set-up script
DESC CONNECTION a;;
/* block
   comment */ SHOW CONNECTIONS ;
  DROP CONNECTION IF EXISTS "semi;colon" -- trailing
;`;
    const statements = parseStatements(script);
    assert.deepEqual(statements.map((statement) => [statement.kind, statement.position, statement.text]), [
      ['describe-connection', { line: 2, column: 1 }, 'DESC CONNECTION a'],
      ['show-connections', { line: 4, column: 15 }, 'SHOW CONNECTIONS'],
      ['drop-connection', { line: 5, column: 3 }, 'DROP CONNECTION IF EXISTS "semi;colon"'],
    ]);
    assert.equal(statements[2]?.kind === 'drop-connection' && statements[2].name, 'semi;colon');
  });

  it('returns nothing for empty input, whitespace, comments or lone semicolons', () => {
    for (const text of ['', '   \n\t', '-- only a comment', '/* x */', ';;;']) assert.deepEqual(parseStatements(text), []);
  });

  it('counts lines for \\n, \\r\\n and \\r', () => {
    const [, second, third] = parseStatements('DESC CONNECTION a;\r\nDESC CONNECTION b;\rDESC CONNECTION c');
    assert.deepEqual(second?.position, { line: 2, column: 1 });
    assert.deepEqual(third?.position, { line: 3, column: 1 });
  });

  it('unescapes doubled quotes in strings and identifiers', () => {
    const [statement] = parseStatements("CREATE API CONNECTION `a``b` TYPE CLOUD_FUNCTION PROVIDER='aws' REGION='us-east-1' ROLE_ARN='arn:aws:iam::123456789012:role/r' COMMENT 'it''s \"fine\"'");
    assert.ok(statement?.kind === 'create-connection');
    assert.equal(statement.name, 'a`b');
    assert.equal(statement.fields.comment, 'it\'s "fine"');
    const [quoted] = parseStatements('DESC CONNECTION "say ""hi"""');
    assert.ok(quoted?.kind === 'describe-connection');
    assert.equal(quoted.name, 'say "hi"');
  });
});
