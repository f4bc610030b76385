// The Governance I statements: what each parses into, and positioned errors like every other statement's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { actionForStatement } from '../../src/governance/statement-actions.ts';
import { parseStatements } from '../../src/sql/statement.ts';
import type { StatementKind } from '../../src/sql/statement.ts';

function body(text: string): Record<string, unknown> {
  const [statement] = parseStatements(text);
  assert.ok(statement !== undefined);
  const { position: _position, text: _text, ...rest } = statement;
  return rest;
}

function expectError(text: string, code: string, line: number, column: number, pattern: RegExp): void {
  assert.throws(() => parseStatements(text), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    assert.deepEqual([error.location.line, error.location.column], [line, column], error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

/** One statement of every kind (a test below checks that the list covers StatementKind). */
const EVERY_KIND = `
  CREATE API CONNECTION p.c TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r';
  DESC API CONNECTION p.c; SHOW API CONNECTIONS IN PROJECT p LIKE 'c%'; ALTER API CONNECTION p.c SET COMMENT = 'x';
  ALTER API CONNECTION c ROTATE EXTERNAL_ID; VALIDATE API CONNECTION p.c; DROP API CONNECTION IF EXISTS p.c CASCADE;
  CREATE EXTERNAL FUNCTION p.s.f(x INT) RETURNS INT CONNECTION q.c; DESC FUNCTION s.f; SHOW FUNCTIONS IN PROJECT p; DROP FUNCTION p.s.f;
  CREATE PROJECT IF NOT EXISTS p COMMENT 'team'; DROP PROJECT IF EXISTS p CASCADE; SHOW PROJECTS; USE PROJECT p;
  CREATE USER u; DROP USER IF EXISTS u; SHOW USERS LIKE 'a%'; CREATE ROLE r COMMENT 'x'; DROP ROLE r; SHOW ROLES;
  GRANT ROLE r TO USER u; REVOKE ROLE r FROM ROLE r2;
  GRANT USAGE, DESCRIBE ON CONNECTION p.c TO ROLE r WITH GRANT OPTION; REVOKE GRANT OPTION FOR ALL ON FUNCTION f FROM USER u CASCADE;
  GRANT OWNERSHIP ON PROJECT p TO USER u; SHOW GRANTS ON EXTERNAL FUNCTION p.s.f; SHOW GRANTS TO ROLE public;
  SHOW FUNCTION HISTORY FOR f SINCE '2026-01-31' BY DAY;
  CREATE OR REPLACE POLICY p AS '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["lakefn:List*"], "Resource": ["*"]}]}' COMMENT 'x';
  ATTACH POLICY p TO USER u; DETACH POLICY LakefnFullAccess FROM ROLE public; SHOW POLICIES LIKE 'p%'; DESC POLICY p; DROP POLICY IF EXISTS p CASCADE;
  SET BOUNDARY ON PROJECT prod AS POLICY lakefnreadonlyaccess; UNSET BOUNDARY ON ROLE r; SHOW BOUNDARIES;
  ALTER PROJECT prod SET OBJECT_PRIVILEGES = OFF; SHOW ACTIONS LIKE '%Connection'; EXPLAIN AUTHORIZATION FOR USER u DROP API CONNECTION prod.c;
  ALTER USER u ADD TOKEN EXPIRES IN 'P90D' COMMENT 'ci'; ALTER USER u REVOKE TOKEN tk0123456789abcdef;
  ALTER USER u SET OIDC_SUBJECT = 'https://accounts.google.com|123'; SHOW TOKENS FOR USER u`;

describe('governance statements', () => {
  it('projects, users and roles', () => {
    assert.deepEqual(body("CREATE PROJECT IF NOT EXISTS Sales COMMENT 'team'"), { kind: 'create-project', name: 'sales', ifNotExists: true, comment: 'team' });
    assert.deepEqual(body('DROP PROJECT p RESTRICT'), { kind: 'drop-project', name: 'p', ifExists: false, cascade: false });
    assert.deepEqual(body('USE PROJECT "My Project"'), { kind: 'use-project', name: 'My Project' });
    assert.deepEqual(body("CREATE ROLE analyst COMMENT = 'reads'"), { kind: 'create-role', name: 'analyst', ifNotExists: false, comment: 'reads' });
    assert.deepEqual(body('GRANT ROLE analyst TO USER alice'), { kind: 'grant-role', role: 'analyst', member: { kind: 'user', name: 'alice' } });
    assert.deepEqual(body("SHOW ROLES LIKE 'a%'"), { kind: 'show-roles', like: 'a%' });
  });

  it('privileges: lists, ALL, GRANT OPTION, CASCADE / RESTRICT, qualified objects', () => {
    assert.deepEqual(body('GRANT CREATE CONNECTION, MONITOR ON PROJECT p TO ROLE r'), {
      kind: 'grant-privilege', privileges: ['CREATE CONNECTION', 'MONITOR'], object: { kind: 'project', name: 'p' }, grantee: { kind: 'role', name: 'r' }, grantOption: false,
    });
    assert.deepEqual(body('GRANT ALL PRIVILEGES ON API CONNECTION sales.c TO USER u WITH GRANT OPTION'), {
      kind: 'grant-privilege', privileges: ['USAGE', 'DESCRIBE'], object: { kind: 'connection', name: 'c', project: 'sales' }, grantee: { kind: 'user', name: 'u' }, grantOption: true,
    });
    assert.deepEqual(body('REVOKE EXECUTE ON FUNCTION p.s.f FROM USER u'), {
      kind: 'revoke-privilege', privileges: ['EXECUTE'], object: { kind: 'function', name: 's.f', project: 'p' }, grantee: { kind: 'user', name: 'u' }, grantOptionOnly: false, cascade: false,
    });
    assert.equal(body('REVOKE USAGE ON CONNECTION c FROM ROLE r CASCADE')['cascade'], true);
    assert.deepEqual(body('GRANT OWNERSHIP ON FUNCTION f TO ROLE r'), { kind: 'grant-ownership', object: { kind: 'function', name: 'f' }, grantee: { kind: 'role', name: 'r' } });
    assert.deepEqual(body('SHOW GRANTS TO USER alice'), { kind: 'show-grants-to', grantee: { kind: 'user', name: 'alice' } });
    assert.deepEqual(body("SHOW FUNCTION HISTORY SINCE '2026-01-31T08:00:00+02:00'"), { kind: 'show-function-history', name: null, since: '2026-01-31T06:00:00.000Z', bucket: 'hour' });
  });

  it('policies, boundaries, the project switch, SHOW ACTIONS and EXPLAIN AUTHORIZATION', () => {
    assert.deepEqual(body('ATTACH POLICY LAKEFNREADONLYACCESS TO ROLE analyst'), { kind: 'attach-policy', policy: 'LakefnReadOnlyAccess', principal: { kind: 'role', name: 'analyst' } });
    assert.deepEqual(body('DROP POLICY p'), { kind: 'drop-policy', name: 'p', ifExists: false, cascade: false });
    assert.deepEqual(body('SET BOUNDARY ON USER alice AS POLICY "Cap"'), { kind: 'set-boundary', target: { kind: 'user', name: 'alice' }, policy: 'Cap' });
    assert.deepEqual(body('ALTER PROJECT prod SET OBJECT_PRIVILEGES ON'), { kind: 'alter-project', name: 'prod', objectPrivileges: true });
    const [explained] = parseStatements('EXPLAIN AUTHORIZATION\n  DROP FUNCTION p.f');
    assert.ok(explained?.kind === 'explain-authorization');
    assert.equal(explained.user, null);
    assert.deepEqual(explained.statement.position, { line: 2, column: 3 });
    assert.equal(explained.statement.text, 'DROP FUNCTION p.f');
    const [created] = parseStatements(`CREATE POLICY p AS '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["lakefn:ListUsers", "lakefn:CreateConnection"], "Resource": ["*"], "Condition": {"StringEquals": {"lakefn:Provider": "aws"}}}]}'`);
    assert.ok(created?.kind === 'create-policy');
    assert.match(created.warnings.join(), /lakefn:Provider/);
    expectError('EXPLAIN AUTHORIZATION EXPLAIN AUTHORIZATION SHOW USERS', 'E_SYNTAX', 1, 23, /a statement other than EXPLAIN/);
    expectError('SET BOUNDARY ON TABLE t AS POLICY p', 'E_SYNTAX', 1, 17, /expected PROJECT <name>, USER <name> or ROLE <name>/);
    expectError('ALTER PROJECT p SET OBJECT_PRIVILEGES = maybe', 'E_SYNTAX', 1, 41, /expected ON or OFF/);
    expectError(`CREATE POLICY LakefnFullAccess AS '{}'`, 'E_INVALID_NAME', 1, 15, /is a managed policy/);
  });

  it('tokens and OIDC subjects', () => {
    assert.deepEqual(body("ALTER USER Alice ADD TOKEN COMMENT 'laptop' EXPIRES IN 'p1y2m'"), {
      kind: 'add-token', user: 'alice', comment: 'laptop', expiresIn: { text: 'P1Y2M', years: 1, months: 2, milliseconds: 0 },
    });
    assert.deepEqual(body("ALTER USER u ADD TOKEN EXPIRES IN 'P1DT12H'"), { kind: 'add-token', user: 'u', comment: null, expiresIn: { text: 'P1DT12H', years: 0, months: 0, milliseconds: 129_600_000 } });
    assert.deepEqual(body("ALTER USER u REVOKE TOKEN 'tk0123456789abcdef'"), { kind: 'revoke-token', user: 'u', tokenId: 'tk0123456789abcdef' });
    assert.deepEqual(body('ALTER USER u SET OIDC_SUBJECT = NULL'), { kind: 'set-oidc-subject', user: 'u', subject: null });
    assert.deepEqual(body('ALTER USER u UNSET OIDC_SUBJECT'), { kind: 'set-oidc-subject', user: 'u', subject: null });
    assert.deepEqual(body('SHOW TOKENS'), { kind: 'show-tokens', user: null });
    expectError("ALTER USER u ADD TOKEN EXPIRES IN 'PT30S'", 'E_INVALID_ARGUMENT', 1, 35, /at least one minute/);
    expectError("ALTER USER u ADD TOKEN EXPIRES IN 'P'", 'E_INVALID_ARGUMENT', 1, 35, /ISO-8601 duration/);
    expectError('ALTER USER u REVOKE TOKEN tk12', 'E_INVALID_ARGUMENT', 1, 27, /not a token id/);
    expectError("ALTER USER u SET OIDC_SUBJECT = 'accounts.google.com|1'", 'E_INVALID_ARGUMENT', 1, 33, /not an http\(s\) URL/);
    expectError('ALTER USER u DROP TOKEN', 'E_SYNTAX', 1, 14, /expected ADD TOKEN, REVOKE TOKEN <id>/);
  });

  it('positioned errors', () => {
    expectError('GRANT USAGE ON FUNCTION f TO USER u', 'E_INVALID_ARGUMENT', 1, 7, /privilege USAGE does not apply to a function \(a function's privileges: EXECUTE, and OWNERSHIP\)/);
    expectError('GRANT EXECUTE, READ ON FUNCTION f TO USER u', 'E_SYNTAX', 1, 16, /expected a privilege after GRANT .*found 'READ'/);
    expectError('GRANT EXECUTE ON FUNCTION f TO u', 'E_SYNTAX', 1, 32, /expected USER <name> or ROLE <name>, found 'u'/);
    expectError('GRANT EXECUTE ON TABLE t TO USER u', 'E_SYNTAX', 1, 18, /expected PROJECT, \[API\] CONNECTION or \[EXTERNAL\] FUNCTION, found 'TABLE'/);
    expectError('REVOKE OWNERSHIP ON FUNCTION f FROM USER u', 'E_SYNTAX', 1, 8, /OWNERSHIP cannot be revoked: transfer it with GRANT OWNERSHIP/);
    expectError('REVOKE EXECUTE ON FUNCTION f TO USER u', 'E_SYNTAX', 1, 30, /expected FROM after the object/);
    expectError('GRANT ROLE r FROM USER u', 'E_SYNTAX', 1, 14, /expected TO after GRANT ROLE <role>/);
    expectError('CREATE USER "a:b"', 'E_INVALID_NAME', 1, 13, /may not contain ':'/);
    expectError('USE sales', 'E_SYNTAX', 1, 5, /expected PROJECT after USE/);
    expectError("SHOW FUNCTION HISTORY SINCE 'last week'", 'E_INVALID_ARGUMENT', 1, 29, /'last week' is not an ISO-8601 date or time/);
    expectError('SHOW FUNCTION HISTORY BY WEEK', 'E_SYNTAX', 1, 26, /expected HOUR or DAY after BY/);
    expectError('SHOW GRANTS FOR USER u', 'E_SYNTAX', 1, 13, /expected ON <object> or TO USER\|ROLE <name> after SHOW GRANTS/);
    expectError('SHOW TABLES', 'E_SYNTAX', 1, 6, /after SHOW \(or PROJECTS, USERS, ROLES, GRANTS, TOKENS, PACKAGES, FUNCTION HISTORY, POLICIES, BOUNDARIES or ACTIONS\)/);
  });

  it('every statement kind parses and maps to exactly one action of the catalog', () => {
    const statements = parseStatements(EVERY_KIND);
    const kinds = new Set<StatementKind>(statements.map((statement) => statement.kind));
    // the map is exhaustive at compile time (defineActionMap); this checks every kind is reachable from SQL too
    const all: readonly StatementKind[] = [
      'create-connection', 'describe-connection', 'show-connections', 'alter-connection-set', 'rotate-external-id', 'validate-connection',
      'drop-connection', 'create-function', 'describe-function', 'show-functions', 'drop-function', 'create-project', 'drop-project',
      'show-projects', 'use-project', 'create-user', 'drop-user', 'show-users', 'create-role', 'drop-role', 'show-roles', 'grant-role',
      'revoke-role', 'grant-privilege', 'revoke-privilege', 'grant-ownership', 'show-grants-on', 'show-grants-to', 'show-function-history',
      'create-policy', 'attach-policy', 'detach-policy', 'show-policies', 'describe-policy', 'drop-policy', 'set-boundary', 'unset-boundary',
      'show-boundaries', 'alter-project', 'show-actions', 'explain-authorization',
      'add-token', 'revoke-token', 'set-oidc-subject', 'show-tokens',
    ];
    assert.deepEqual([...kinds].sort(), [...all].sort());
    for (const kind of all) assert.match(actionForStatement(kind).name, /^lakefn:[A-Z][A-Za-z]+$/);
    assert.equal(actionForStatement('grant-privilege').name, 'lakefn:Grant');
    assert.equal(actionForStatement('show-grants-to').name, 'lakefn:ListGrants');
    assert.equal(actionForStatement('use-project').name, 'lakefn:UseProject');
  });
});
