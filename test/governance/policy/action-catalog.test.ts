import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCESS_LEVELS,
  ACTIONS,
  defineActionMap,
  findAction,
  MANAGED_POLICIES,
  requiredDependencies,
  type ActionName,
} from '../../../src/governance/policy/index.ts';
import { parseStatements } from '../../../src/sql/statement.ts';

/** Today's statement kinds, written out (not imported) so that new kinds do not break this test before they are mapped. */
type TodaysStatementKind =
  | 'create-connection'
  | 'describe-connection'
  | 'show-connections'
  | 'alter-connection-set'
  | 'rotate-external-id'
  | 'validate-connection'
  | 'drop-connection'
  | 'create-function'
  | 'describe-function'
  | 'show-functions'
  | 'drop-function';

describe('action catalog', () => {
  it('names every action lakefn:<Verb><Noun>, once, with a valid level, resources and coverage', () => {
    const names = new Set<string>();
    for (const definition of ACTIONS) {
      assert.match(definition.name, /^lakefn:[A-Z][a-z]+[A-Z][A-Za-z]*$|^lakefn:(Grant|Revoke)$/, definition.name);
      assert.ok(!names.has(definition.name), `${definition.name} twice`);
      names.add(definition.name);
      assert.ok((ACCESS_LEVELS as readonly string[]).includes(definition.level));
      assert.ok(definition.resources.length > 0, `${definition.name} has no resource scope`);
      assert.ok(definition.covers.length > 0, `${definition.name} covers nothing`);
      for (const key of ['lakefn:SourceIp', 'lakefn:CurrentTime', 'lakefn:PrincipalName'] as const) assert.ok(definition.conditionKeys.includes(key));
    }
  });

  it('names only catalog actions as dependent actions', () => {
    for (const definition of ACTIONS) {
      for (const dependent of definition.dependentActions) assert.ok(findAction(dependent.action), `${definition.name} depends on unknown ${dependent.action}`);
    }
    assert.deepStrictEqual(requiredDependencies('lakefn:CreateFunction').map(({ action, as }) => [action, as]), [['lakefn:UseConnection', 'caller']]);
    assert.deepStrictEqual(requiredDependencies('lakefn:InvokeFunction').map(({ action, as }) => [action, as]), [['lakefn:UseConnection', 'owner']]);
  });

  it('skips the data layer (OBJECT_PRIVILEGES = OFF) only for actions on connections and functions, never for permission management', () => {
    for (const definition of ACTIONS) {
      if (definition.dataLayer === 'object') assert.ok(definition.resources.every((scope) => scope === 'connection' || scope === 'function'), definition.name);
      if (definition.level === 'permission_management') assert.equal(definition.dataLayer, 'always', definition.name);
    }
  });

  it('has the actions the issues name', () => {
    for (const name of ['lakefn:CreateConnection', 'lakefn:ValidateConnection', 'lakefn:InvokeFunction', 'lakefn:Grant', 'lakefn:ReadAudit', 'lakefn:UseConnection', 'lakefn:TransferOwnership', 'lakefn:AllowPackageInstall']) {
      assert.ok(findAction(name), name);
    }
  });

  it("covers every CLI command and HTTP endpoint that touches the catalog", () => {
    const covered = new Set(ACTIONS.flatMap((definition) => definition.covers));
    const surface = [
      ...['create', 'list', 'desc', 'alter', 'rotate', 'validate', 'drop'].map((command) => `lakefn connection ${command}`),
      ...['list', 'desc', 'drop'].map((command) => `lakefn function ${command}`),
      'lakefn invoke', 'lakefn query', 'POST /v1/functions/{name}/evaluate', 'POST /compat/{format}/{name}', 'GET /metrics',
      'lakefn audit list', 'lakefn audit verify', 'lakefn audit prune', 'lakefn authz explain', 'lakefn store rotate-key',
    ];
    for (const entry of surface) assert.ok(covered.has(entry), `${entry} maps to no action`);
  });

  it("maps each of today's statement kinds to one action (defineActionMap)", () => {
    const actionFor = defineActionMap<TodaysStatementKind>({
      'create-connection': 'lakefn:CreateConnection',
      'describe-connection': 'lakefn:DescribeConnection',
      'show-connections': 'lakefn:ListConnections',
      'alter-connection-set': 'lakefn:AlterConnection',
      'rotate-external-id': 'lakefn:RotateExternalId',
      'validate-connection': 'lakefn:ValidateConnection',
      'drop-connection': 'lakefn:DropConnection',
      'create-function': 'lakefn:CreateFunction',
      'describe-function': 'lakefn:DescribeFunction',
      'show-functions': 'lakefn:ListFunctions',
      'drop-function': 'lakefn:DropFunction',
    });
    const script = `
      CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r';
      DESC API CONNECTION c; SHOW API CONNECTIONS; ALTER API CONNECTION c SET REGION = 'us-west-2';
      ALTER API CONNECTION c ROTATE EXTERNAL_ID; VALIDATE API CONNECTION c; DROP API CONNECTION c;
      CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c; DESC FUNCTION f; SHOW FUNCTIONS; DROP FUNCTION f`;
    const kinds = parseStatements(script).map((statement) => statement.kind);
    assert.equal(new Set(kinds).size, 11);
    const actions: ActionName[] = kinds.map((kind) => actionFor(kind).name);
    assert.equal(actions[7], 'lakefn:CreateFunction');
  });
});

describe('managed policies', () => {
  it('derive from the access levels', () => {
    const actionsOf = (name: keyof typeof MANAGED_POLICIES) => MANAGED_POLICIES[name].document.Statement.flatMap((statement) => statement.Action);
    assert.deepStrictEqual(actionsOf('LakefnFullAccess'), ['lakefn:*']);
    assert.deepStrictEqual(actionsOf('LakefnDataFullAccess'), ['lakefn:*']);
    assert.deepStrictEqual(actionsOf('LakefnReadOnlyAccess'), ACTIONS.filter((definition) => definition.level === 'list' || definition.level === 'read').map((definition) => definition.name));
    assert.deepStrictEqual(actionsOf('LakefnDataReadOnlyAccess'), ACTIONS.filter((definition) => definition.level === 'list' || definition.level === 'read' || definition.name === 'lakefn:InvokeFunction').map((definition) => definition.name));
    assert.equal(MANAGED_POLICIES.LakefnFullAccess.layer, 'api');
    assert.equal(MANAGED_POLICIES.LakefnReadOnlyAccess.layer, 'api');
    assert.equal(MANAGED_POLICIES.LakefnDataFullAccess.layer, 'data');
    assert.equal(MANAGED_POLICIES.LakefnDataReadOnlyAccess.layer, 'data');
    for (const managed of Object.values(MANAGED_POLICIES)) assert.deepStrictEqual(JSON.parse(managed.text), managed.document);
  });
});
