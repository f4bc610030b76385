// The statement executor over both stores: every statement form, the "nothing changes on failure" rule
// (table dumps without the audit log, which records the failure; SQLite file bytes when nothing ran), script
// semantics and the service hooks.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EXTERNAL_ID_PATTERN } from '../../src/catalog/external-id.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import type { StatementResult } from '../../src/sql/execute-result.ts';
import type { ConnectionValidation, ExecutionServices } from '../../src/sql/execute-services.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import { parseStatements } from '../../src/sql/parse-statements.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, fileHash, storeDescriptors } from './store-descriptors.ts';

const AWS = "TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf' CODE_BUCKET = 'lakefn-code'";
const TENCENT =
  "TYPE CLOUD_FUNCTION WITH PROPERTIES ('cloud_function.provider'='tencent', 'cloud_function.region'='ap-beijing', " +
  "'cloud_function.role_arn'='qcs::cam::uin/100000000001:roleName/LakehouseRole', 'cloud_function.namespace'='default', " +
  "'cloud_function.code_bucket'='myfunction-1310000000')";

function only<T extends StatementResult['kind']>(results: StatementResult[], kind: T): Extract<StatementResult, { kind: T }> {
  assert.equal(results.length, 1);
  const [result] = results;
  assert.equal(result?.kind, kind);
  return result as Extract<StatementResult, { kind: T }>;
}

for (const descriptor of storeDescriptors()) {
  describe(`executeStatements on ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let changes: { previous: ConnectionRecord; current: ConnectionRecord | null }[];
    let services: ExecutionServices;
    const run = (text: string, extra: Partial<ExecutionServices> = {}): Promise<StatementResult[]> => executeStatements(text, { ...services, ...extra });

    /** The statement fails with `code`, changes nothing but the audit log, and the log's last record is its ADMIN error. */
    async function rejectsUnchanged(text: string, code: string, pattern: RegExp, extra: Partial<ExecutionServices> = {}): Promise<LakefnError> {
      const before = await fixture.dump({ audit: false });
      let caught: unknown;
      await run(text, extra).catch((error: unknown) => {
        caught = error;
      });
      assert.ok(LakefnError.isInstance(caught), `expected ${code}, got ${String(caught)}`);
      assert.equal(caught.code, code, caught.message);
      assert.match(caught.message, pattern);
      assert.equal(await fixture.dump({ audit: false }), before, 'a failed statement changed the store');
      const [last] = (await store.read((session) => session.audit.list({ types: ['ADMIN'] }, 0, 100_000))).slice(-1);
      assert.equal(last?.body['status'], 'ERROR');
      assert.equal(last?.body['error_code'], code);
      return caught;
    }

    /** A script that does not parse runs nothing, so not even the audit log changes. */
    async function rejectsUnparsed(text: string, code: string, pattern: RegExp): Promise<void> {
      const before = await fixture.dump();
      await assert.rejects(run(text), (error: unknown) => LakefnError.isInstance(error) && error.code === code && pattern.test(error.message));
      assert.equal(await fixture.dump(), before, 'a script that does not parse changed the store');
    }

    before(() => descriptor.start());
    after(() => descriptor.stop());
    beforeEach(async () => {
      fixture = await descriptor.fixture();
      store = await fixture.open();
      changes = [];
      services = {
        store,
        environment: { LAKEFN_AWS_ACCOUNT_ID: '210987654321' },
        onConnectionChanged: (previous, current) => {
          changes.push({ previous, current });
        },
      };
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it('CREATE stores a PENDING connection with a generated external ID and says what to do next', async () => {
      const result = only(await run(`CREATE API CONNECTION sales ${AWS} COMMENT 'team sales'`), 'change');
      assert.equal(result.outcome, 'created');
      const stored = await store.connections.get('sales');
      assert.ok(stored);
      assert.match(stored.externalId, EXTERNAL_ID_PATTERN);
      assert.equal(stored.status, 'PENDING');
      assert.equal(stored.version, 1);
      assert.equal(stored.comment, 'team sales');
      assert.match(result.message, new RegExp(`created; external ID ${stored.externalId}`));
      assert.match(result.notices.join(), /VALIDATE API CONNECTION sales/);
      assert.equal(result.connection?.external_id, stored.externalId);
      assert.deepEqual(changes, []);
    });

    it('DESC returns every field and both policies, with the broker account from the environment', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      const { description } = only(await run('DESCRIBE API CONNECTION sales'), 'connection-description');
      for (const key of ['name', 'provider', 'region', 'role_arn', 'namespace', 'code_bucket', 'external_id', 'status', 'comment', 'created_at', 'trust_policy', 'permission_policy']) {
        assert.ok(key in description, key);
      }
      const trust = JSON.stringify(description.trust_policy);
      assert.ok(trust.includes(description.external_id));
      assert.ok(trust.includes('arn:aws:iam::210987654321:root'));
      assert.match(JSON.stringify(description.permission_policy), /lambda:InvokeFunction/);
      await rejectsUnchanged('DESC API CONNECTION nothing', 'E_NO_SUCH_CONNECTION', /'nothing' does not exist.* at 1:1$/);
    });

    it('SHOW lists connections, LIKE filters them', async () => {
      await run(`CREATE API CONNECTION prod_a ${AWS}; CREATE API CONNECTION dev_t ${TENCENT}`);
      const all = only(await run('SHOW API CONNECTIONS'), 'table');
      assert.deepEqual(all.rows.map((row) => row[0]), ['dev_t', 'prod_a']);
      assert.equal(all.columns[0], 'name');
      const some = only(await run("SHOW CONNECTIONS LIKE 'PROD%'"), 'table');
      assert.deepEqual(some.rows.map((row) => row[0]), ['prod_a']);
    });

    it('duplicate CREATE → E_CONNECTION_EXISTS at the statement, IF NOT EXISTS → notice; neither changes anything', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      const error = await rejectsUnchanged(`\n  CREATE API CONNECTION sales ${AWS}`, 'E_CONNECTION_EXISTS', /'sales' already exists.* at 2:3$/);
      assert.equal(error.location.line, 2);
      assert.equal(error.location.column, 3);
      const before = await fixture.dump({ audit: false });
      const result = only(await run(`CREATE API CONNECTION IF NOT EXISTS sales ${TENCENT}`), 'change');
      assert.equal(result.outcome, 'existed');
      assert.match(result.notices.join(), /already exists; IF NOT EXISTS left it unchanged/);
      assert.equal(await fixture.dump({ audit: false }), before);
    });

    it('CREATE OR REPLACE gives a new object and a new external ID, says so, and invalidates caches', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      const original = await store.connections.get('sales');
      const result = only(await run(`CREATE OR REPLACE API CONNECTION sales ${TENCENT}`), 'change');
      const replaced = await store.connections.get('sales');
      assert.ok(original && replaced);
      assert.equal(result.outcome, 'replaced');
      assert.notEqual(replaced.id, original.id);
      assert.notEqual(replaced.externalId, original.externalId);
      assert.equal(replaced.provider, 'tencent');
      assert.match(result.notices.join(), /new external ID.*trust policy/);
      assert.deepEqual(changes, [{ previous: original, current: replaced }]);
    });

    it('ALTER SET keeps the external ID, bumps the version and re-validates the merged fields', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      const original = await store.connections.get('sales');
      assert.ok(original);
      const result = only(await run("ALTER API CONNECTION sales SET ROLE_ARN = 'arn:aws:iam::123456789012:role/other', COMMENT = 'moved'"), 'change');
      const altered = await store.connections.get('sales');
      assert.ok(altered);
      assert.equal(result.outcome, 'altered');
      assert.equal(altered.externalId, original.externalId);
      assert.equal(altered.id, original.id);
      assert.equal(altered.version, 2);
      assert.equal(altered.roleArn, 'arn:aws:iam::123456789012:role/other');
      assert.match(result.notices.join(), /external ID is unchanged/);
      assert.deepEqual(changes, [{ previous: original, current: altered }]);
      // the merge is validated as a whole: an aws-cn region does not fit the stored arn:aws: role
      await rejectsUnchanged("ALTER API CONNECTION sales SET REGION = 'cn-north-1'", 'E_INVALID_ROLE_ARN', /partition/);
      await rejectsUnchanged("ALTER API CONNECTION ghost SET COMMENT = 'x'", 'E_NO_SUCH_CONNECTION', /'ghost'/);
    });

    it('ROTATE EXTERNAL_ID replaces the ID, bumps the version, returns to PENDING and says the trust policy must change', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      const verified = { validateConnection: async (): Promise<ConnectionValidation> => ({ status: 'VERIFIED', detail: null }) };
      await run('VALIDATE API CONNECTION sales', verified);
      const before = await store.connections.get('sales');
      assert.equal(before?.status, 'VERIFIED');
      const result = only(await run('ALTER API CONNECTION sales ROTATE EXTERNAL_ID'), 'change');
      const after = await store.connections.get('sales');
      assert.ok(before && after);
      assert.equal(result.outcome, 'rotated');
      assert.notEqual(after.externalId, before.externalId);
      assert.match(after.externalId, EXTERNAL_ID_PATTERN);
      assert.equal(after.version, before.version + 1);
      assert.equal(after.status, 'PENDING');
      assert.equal(after.id, before.id);
      assert.match(result.notices.join(), new RegExp(`from ${before.externalId} to ${after.externalId}.*trust policy`));
      assert.deepEqual(changes.at(-1), { previous: before, current: after });
    });

    it('VALIDATE stores the status and detail from the injected validator; without one it refuses', async () => {
      await run(`CREATE API CONNECTION sales ${AWS}`);
      await rejectsUnchanged('VALIDATE API CONNECTION sales', 'E_INTERNAL', /validation requires provider access/);
      const seen: ConnectionRecord[] = [];
      const failing = {
        validateConnection: async (connection: ConnectionRecord): Promise<ConnectionValidation> => {
          seen.push(connection);
          return { status: 'FAILED', detail: 'assume-role-with-external-id: AccessDenied' };
        },
      };
      const result = only(await run('VALIDATE API CONNECTION sales', failing), 'change');
      assert.equal(seen[0]?.name, 'sales');
      assert.equal(result.connection?.status, 'FAILED');
      const stored = await store.connections.get('sales');
      assert.equal(stored?.status, 'FAILED');
      assert.equal(stored?.statusDetail, 'assume-role-with-external-id: AccessDenied');
      assert.equal(stored?.version, 2);
      // a security-relevant ALTER of a validated connection sends it back to PENDING; a comment does not
      await run('VALIDATE API CONNECTION sales', { validateConnection: async () => ({ status: 'VERIFIED', detail: null }) });
      await run("ALTER API CONNECTION sales SET COMMENT = 'just a note'");
      assert.equal((await store.connections.get('sales'))?.status, 'VERIFIED');
      const retarget = only(await run("ALTER API CONNECTION sales SET REGION = 'us-west-2'"), 'change');
      assert.equal((await store.connections.get('sales'))?.status, 'PENDING');
      assert.match(retarget.notices.join(), /status reset to PENDING/);
    });

    it('EXTERNAL FUNCTIONs: CREATE checks the connection and the provider naming rules; DESC, SHOW, DROP', async () => {
      await rejectsUnchanged("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION nowhere AS 'fn'", 'E_NO_SUCH_CONNECTION', /'nowhere' does not exist/);
      await run(`CREATE API CONNECTION tc ${TENCENT}; CREATE API CONNECTION aw ${AWS}`);
      // 'x' is a fine Lambda name but too short for SCF (2-60 characters, starting with a letter)
      await rejectsUnchanged("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION tc AS 'x'", 'E_INVALID_FUNCTION', /SCF function name/);
      // a Lambda ARN of another account or region would run someone else's code with this connection's rows
      await rejectsUnchanged("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'arn:aws:lambda:eu-west-1:999999999999:function:x'", 'E_INVALID_FUNCTION', /account 999999999999/);
      const created = only(await run("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'x:live'"), 'change');
      assert.equal(created.function?.cloud_function, 'x');
      assert.equal(created.function?.qualifier, 'live');
      await run("CREATE EXTERNAL FUNCTION ml.score(v DECIMAL(38,10), tags MAP<VARCHAR,BIGINT>) RETURNS DOUBLE CONNECTION tc AS 'score-fn' WITH PROPERTIES ('max_batch_rows'='50')");
      const described = only(await run('DESC FUNCTION ml.score'), 'function-description');
      assert.deepEqual(described.description.arguments, [{ name: 'v', type: 'DECIMAL(38,10)' }, { name: 'tags', type: 'MAP<VARCHAR,BIGINT>' }]);
      assert.equal(described.description.properties['max_batch_rows'], 50);
      assert.equal(described.description.properties['envelope'], 'none');
      // envelope: stored only when written (the row reads back and re-validates), else the provider's default shows
      await run("CREATE EXTERNAL FUNCTION sf_default(x VARCHAR) RETURNS VARCHAR CONNECTION aw WITH PROPERTIES ('format'='snowflake')");
      await run("CREATE EXTERNAL FUNCTION sf_plain(x VARCHAR) RETURNS VARCHAR CONNECTION aw WITH PROPERTIES ('format'='snowflake', 'envelope'='none')");
      assert.equal((await store.functions.get('sf_default'))?.properties.envelope, undefined);
      assert.equal((await store.functions.get('sf_plain'))?.properties.envelope, 'none');
      assert.equal(only(await run('DESC FUNCTION sf_default'), 'function-description').description.properties['envelope'], 'api_gateway');
      assert.equal(only(await run('DESC FUNCTION sf_plain'), 'function-description').description.properties['envelope'], 'none');
      await run('DROP FUNCTION sf_default; DROP FUNCTION sf_plain');
      const shown = only(await run("SHOW EXTERNAL FUNCTIONS LIKE 'ml.%'"), 'table');
      assert.deepEqual(shown.rows.map((row) => row[0]), ['ml.score']);
      await rejectsUnchanged("CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'y'", 'E_FUNCTION_EXISTS', /'f' already exists/);
      assert.equal(only(await run("CREATE EXTERNAL FUNCTION IF NOT EXISTS f(x INT) RETURNS INT CONNECTION aw AS 'y'"), 'change').outcome, 'existed');
      assert.equal(only(await run("CREATE OR REPLACE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'y'"), 'change').outcome, 'replaced');
      assert.equal((await store.functions.get('f'))?.cloudFunction, 'y');
      assert.equal(only(await run('DROP FUNCTION f'), 'change').outcome, 'dropped');
      assert.equal(only(await run('DROP FUNCTION IF EXISTS f'), 'change').outcome, 'not-found');
      await rejectsUnchanged('DROP FUNCTION f', 'E_NO_SUCH_FUNCTION', /'f' does not exist/);
    });

    it('DROP CONNECTION is refused while functions use it; CASCADE drops them and invalidates caches', async () => {
      await run(`CREATE API CONNECTION aw ${AWS}; CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw`);
      await rejectsUnchanged('DROP API CONNECTION aw', 'E_CONNECTION_IN_USE', /used by 1 function\(s\): 'f'/);
      const before = await store.connections.get('aw');
      const result = only(await run('DROP CONNECTION aw CASCADE'), 'change');
      assert.deepEqual(result.droppedFunctions, ['f']);
      assert.deepEqual(await store.functions.list(), []);
      assert.deepEqual(changes, [{ previous: before, current: null }]);
      assert.match(only(await run('DROP API CONNECTION IF EXISTS aw'), 'change').notices.join(), /IF EXISTS/);
      await rejectsUnchanged('DROP API CONNECTION aw', 'E_NO_SUCH_CONNECTION', /'aw' does not exist/);
    });

    it('CREATE OR REPLACE that changes the provider refuses while functions use it, naming them, unless CASCADE', async () => {
      await run(`CREATE API CONNECTION aw ${AWS}; CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'fn-one'; CREATE EXTERNAL FUNCTION g(x INT) RETURNS INT CONNECTION aw AS 'fn-two'`);
      const error = await rejectsUnchanged(`CREATE OR REPLACE API CONNECTION aw ${TENCENT}`, 'E_CONNECTION_IN_USE', /replacing connection 'aw' changes its provider from 'aws' to 'tencent'.*2 function\(s\) use it: 'f', 'g'.*CASCADE/);
      assert.deepEqual(error.data?.['functions'], ['f', 'g']);
      // ALTER … SET PROVIDER would re-point them just the same
      await rejectsUnchanged("ALTER API CONNECTION aw SET PROVIDER = 'aliyun', REGION = 'cn-hangzhou', ROLE_ARN = 'acs:ram::1234567890123456:role/r'", 'E_CONNECTION_IN_USE', /changing its provider would make them call another cloud's functions/);
      const previous = await store.connections.get('aw');
      const replaced = only(await run(`CREATE OR REPLACE API CONNECTION aw ${TENCENT} CASCADE`), 'change');
      assert.equal(replaced.outcome, 'replaced');
      assert.match(replaced.notices.join('\n'), /CASCADE dropped 2 function\(s\) the new connection does not fit: f, g/);
      assert.deepEqual(await store.functions.list(), []);
      assert.equal((await store.connections.get('aw'))?.provider, 'tencent');
      assert.deepEqual(changes.map((change) => change.previous), [previous]);
    });

    it('CREATE OR REPLACE with the same provider re-binds the functions to the new object', async () => {
      await run(`CREATE API CONNECTION aw ${AWS}; CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION aw AS 'fn-one:live'`);
      const result = only(await run(`CREATE OR REPLACE API CONNECTION aw ${AWS.replace('us-east-1', 'us-west-2')}`), 'change');
      const connection = await store.connections.get('aw');
      const fn = await store.functions.get('f');
      assert.ok(connection && fn);
      assert.equal(fn.connectionId, connection.id);
      assert.equal(fn.qualifier, 'live');
      assert.match(result.notices.join('\n'), /1 function\(s\) now use the new connection: f/);
      await rejectsUnparsed(`CREATE API CONNECTION other ${AWS} CASCADE`, 'E_SYNTAX', /CASCADE applies only to CREATE OR REPLACE/);
      await rejectsUnparsed(`CREATE OR REPLACE API CONNECTION aw ${AWS} CASCADE CASCADE`, 'E_SYNTAX', /CASCADE is given twice/);
    });

    it('hints quote identifiers, so a copied hint runs exactly one statement on exactly that object', async () => {
      const name = 'a;b"c\'d -- x';
      const quoted = '"a;b""c\'d -- x"';
      const created = only(await run(`CREATE API CONNECTION ${quoted} ${AWS}`), 'change');
      await run(`VALIDATE API CONNECTION ${quoted}`, { validateConnection: async () => ({ status: 'VERIFIED', detail: null }) });
      const altered = only(await run(`ALTER API CONNECTION ${quoted} SET REGION = 'us-west-2'`), 'change');
      const rotated = only(await run(`ALTER API CONNECTION ${quoted} ROTATE EXTERNAL_ID`), 'change');
      const replaced = only(await run(`CREATE OR REPLACE API CONNECTION ${quoted} ${AWS}`), 'change');
      const hints = [...created.notices, ...altered.notices, ...rotated.notices, ...replaced.notices].join('\n');
      const copied = [...hints.matchAll(/(?:DESC|VALIDATE) API CONNECTION (?:"(?:[^"]|"")*"|\S+)/g)].map((match) => match[0]);
      assert.equal(copied.length, 6, hints);
      for (const statement of copied) {
        const parsed = parseStatements(statement);
        assert.equal(parsed.length, 1, statement);
        assert.ok(parsed[0]?.kind === 'describe-connection' || parsed[0]?.kind === 'validate-connection');
        assert.equal(parsed[0].name, name);
      }
    });

    it('a script stops at the first failing statement, keeps what ran before, and says so', async () => {
      const streamed: StatementResult[] = [];
      const script = `CREATE API CONNECTION one ${AWS};\nCREATE API CONNECTION one ${AWS};\nCREATE API CONNECTION three ${AWS}`;
      const error = await executeStatements(script, services, { onResult: (result) => streamed.push(result) }).catch((caught: unknown) => caught);
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_CONNECTION_EXISTS');
      assert.match(error.message, /^statement 2 of 3 failed; 1 statement applied: connection 'one' already exists.* at 2:1$/);
      assert.deepEqual(error.data, { statement: 2, statements: 3, applied: 1 });
      assert.equal(streamed.length, 1);
      assert.deepEqual((await store.connections.list()).map((record) => record.name), ['one']);
    });

    it('a syntax error anywhere in a script runs nothing', async () => {
      await rejectsUnparsed(`CREATE API CONNECTION one ${AWS}; SHOW CONNECTIONS; CREATE API CONNECTION two TYPE CLOUD_FUNCTION PROVIDER 'aws'`, 'E_SYNTAX', /syntax error at 1:/);
      await rejectsUnparsed(`CREATE API CONNECTION one ${AWS} EXTERNAL_ID = 'mine'`, 'E_EXTERNAL_ID_NOT_SETTABLE', /external/i);
      assert.deepEqual(await store.connections.list(), []);
    });
  });
}

describe('failed statements leave the SQLite catalog unchanged but for their audit record', () => {
  it('dumps lakefn.db before and after each failing statement; a script that does not parse leaves the file byte-for-byte unchanged', async () => {
    const [sqlite] = storeDescriptors();
    assert.ok(sqlite);
    const fixture = await sqlite.fixture();
    const path = `${fixture.home}/lakefn.db`;
    const session = async (text: string): Promise<unknown> => {
      const store = await fixture.open();
      try {
        return await executeStatements(text, { store, environment: {} });
      } catch (error) {
        return error;
      } finally {
        await store.close();
      }
    };
    await session(`CREATE API CONNECTION base ${AWS}; CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION base`);
    const auditRecords = async (): Promise<number> => {
      const store = await fixture.open();
      try {
        return (await store.read((read) => read.audit.list({}, 0, 100_000))).length;
      } finally {
        await store.close();
      }
    };
    // a statement that ran and failed changes nothing but the audit log, which gains exactly its ADMIN record
    const catalog = await fixture.dump({ audit: false });
    for (const failing of [
      `CREATE API CONNECTION base ${AWS}`,
      'DROP API CONNECTION base',
      "ALTER API CONNECTION base SET REGION = 'cn-north-1'",
      "CREATE EXTERNAL FUNCTION g(x INT) RETURNS INT CONNECTION missing AS 'g'",
      'VALIDATE API CONNECTION base',
      'DROP FUNCTION nothing',
    ]) {
      const records = await auditRecords();
      const outcome = await session(failing);
      assert.ok(LakefnError.isInstance(outcome), `${failing} should fail`);
      assert.equal(await fixture.dump({ audit: false }), catalog, `${failing} changed the catalog`);
      assert.equal(await auditRecords(), records + 1, `${failing} should add exactly its ADMIN record`);
    }
    // a script that does not parse runs nothing: the file is byte-for-byte what it was
    const before = fileHash(path);
    const outcome = await session("CREATE API CONNECTION x TYPE CLOUD_FUNCTION PROVIDER = 'gcp'");
    assert.ok(LakefnError.isInstance(outcome));
    assert.equal(fileHash(path), before);
    await fixture.cleanup();
  });
});
