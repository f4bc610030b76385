// The admin CLI end to end: `node bin/lakefn.js …` in child processes against a temp LAKEFN_HOME.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EXTERNAL_ID_PATTERN } from '../../src/catalog/external-id.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { type CliRun, expectCliError, type ExpectedCliError, jsonOf, runCli } from './run-cli.ts';

const AWS_FLAGS = ['--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/lakefn-udf', '--code-bucket', 'lakefn-code'];
const AWS_DDL = "TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'";
const TENCENT_DDL =
  "TYPE CLOUD_FUNCTION WITH PROPERTIES ('cloud_function.provider'='tencent', 'cloud_function.region'='ap-beijing', " +
  "'cloud_function.role_arn'='qcs::cam::uin/100000000001:roleName/LakehouseRole', 'cloud_function.namespace'='default', " +
  "'cloud_function.code_bucket'='myfunction-1310000000')";
const DESC_KEYS = ['name', 'provider', 'region', 'role_arn', 'namespace', 'code_bucket', 'external_id', 'status', 'comment', 'created_at', 'trust_policy', 'permission_policy'];

/** Broker secrets in the environment: none of them may ever appear in any output. */
const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEBROKERKEY1',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET0001',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzSESSIONTOKEN0001',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tEXAMPLEBROKER01',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aliyunSECRETvalue000000000000001',
  TENCENTCLOUD_SECRET_ID: 'AKIDEXAMPLEBROKER000000000000001',
  TENCENTCLOUD_SECRET_KEY: 'tencentSECRETvalue00000000000001',
};

function ok(run: CliRun): CliRun {
  assert.equal(run.code, 0, `expected exit 0, got ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

function rejected(run: CliRun, code: ErrorCode, message: RegExp | string): void {
  expectCliError(run, { exit: 1, code, message });
}

describe('lakefn admin CLI (child processes)', () => {
  let home: string;
  const outputs: string[] = [];
  const lakefnWith = async (environment: Record<string, string>, ...args: string[]): Promise<CliRun> => {
    const run = await runCli(args, { environment: { LAKEFN_HOME: home, LAKEFN_AWS_ACCOUNT_ID: '210987654321', ...SECRETS, ...environment } });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const lakefn = async (...args: string[]): Promise<CliRun> => lakefnWith({}, ...args);

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-cli-'));
  });
  afterEach(() => {
    for (const output of outputs) {
      for (const [variable, secret] of Object.entries(SECRETS)) assert.ok(!output.includes(secret), `${variable} leaked into CLI output`);
      assert.ok(!output.includes(readFileSync(join(home, 'store.key')).toString('hex')), 'the store key leaked into CLI output');
    }
    outputs.length = 0;
    rmSync(home, { recursive: true, force: true });
  });

  it('lakefn sql runs a script: CREATE, SHOW as an aligned table, DESC as key/value lines with both policies', async () => {
    const created = ok(await lakefn('sql', `CREATE API CONNECTION sales ${AWS_DDL} COMMENT 'sales team'; CREATE API CONNECTION scf ${TENCENT_DDL};`));
    assert.match(created.stdout, /^connection 'sales' created; external ID [A-Za-z0-9]{32}\nconnection 'scf' created; external ID [A-Za-z0-9]{32}\n$/);
    assert.match(created.stderr, /notice: next: attach the trust policy/);
    const shown = ok(await lakefn('sql', 'SHOW API CONNECTIONS'));
    const lines = shown.stdout.split('\n');
    assert.match(lines[0] ?? '', /^name {3}provider {2}region {6}role_arn/);
    assert.match(lines[1] ?? '', /^-{5} {2}-{8} {2}-{10} {2}-+/);
    assert.match(lines[2] ?? '', /^sales {2}aws {7}us-east-1 {3}arn:aws:iam::123456789012:role\/lakefn-udf/);
    assert.match(lines[3] ?? '', /^scf {4}tencent {3}ap-beijing {2}qcs::cam::uin/);
    assert.equal(lines[4], '(2 rows)');
    const described = ok(await lakefn('sql', 'DESC API CONNECTION sales'));
    assert.match(described.stdout, /^name +sales$/m);
    assert.match(described.stdout, /^external_id +[A-Za-z0-9]{32}$/m);
    assert.match(described.stdout, /^status +PENDING$/m);
    assert.match(described.stdout, /^trust_policy:\n {2}\{\n {4}"Version": "2012-10-17"/m);
    assert.match(described.stdout, /"AWS": "arn:aws:iam::210987654321:root"/);
    assert.match(described.stdout, /^permission_policy:\n {2}\{/m);
  });

  it('--json prints one document: DESC an object with the documented keys, SHOW an array, a script an array', async () => {
    ok(await lakefn('sql', `CREATE API CONNECTION sales ${AWS_DDL}`));
    const description = jsonOf(ok(await lakefn('sql', '--json', 'DESC API CONNECTION sales'))) as Record<string, unknown>;
    for (const key of DESC_KEYS) assert.ok(key in description, `DESC --json lacks ${key}`);
    assert.match(String(description['external_id']), EXTERNAL_ID_PATTERN);
    assert.equal(typeof description['trust_policy'], 'object');
    assert.deepEqual(jsonOf(ok(await lakefn('connection', 'desc', 'sales', '--json'))), { ...description });
    const shown = jsonOf(ok(await lakefn('sql', '--json', 'SHOW CONNECTIONS'))) as Record<string, unknown>[];
    assert.ok(Array.isArray(shown));
    assert.equal(shown[0]?.['name'], 'sales');
    assert.deepEqual(jsonOf(ok(await lakefn('connection', 'list', '--json', '--like', 'nothing%'))), []);
    const script = jsonOf(ok(await lakefn('sql', '--json', "SHOW CONNECTIONS; ALTER API CONNECTION sales SET COMMENT = 'x'"))) as Record<string, unknown>[];
    assert.equal(script.length, 2);
    assert.ok(Array.isArray(script[0]));
    assert.equal(script[1]?.['outcome'], 'altered');
  });

  it('exit codes: 1 for a rejected statement (typed message on stderr), 2 for usage errors', async () => {
    ok(await lakefn('sql', `CREATE API CONNECTION sales ${AWS_DDL}`));
    // none of these changes the store, so they run side by side
    const failures: [Promise<CliRun>, ExpectedCliError][] = [
      [lakefn('sql', `CREATE API CONNECTION sales ${AWS_DDL}`), { exit: 1, code: 'E_CONNECTION_EXISTS', message: /^connection 'sales' already exists.* at 1:1$/ }],
      [lakefn('sql', "CREATE API CONNECTION x TYPE CLOUD_FUNCTION PROVIDER 'aws'"), { exit: 1, code: 'E_SYNTAX', message: /^syntax error at 1:\d+: expected '='/ }],
      [lakefn('sql', `SHOW CONNECTIONS;\nCREATE API CONNECTION sales ${AWS_DDL}`), { exit: 1, code: 'E_CONNECTION_EXISTS', message: /^statement 2 of 2 failed; 1 statement applied: .* at 2:1$/ }],
      [lakefn('connection', 'desc', 'nothing'), { exit: 1, code: 'E_NO_SUCH_CONNECTION', message: /^connection 'nothing' does not exist/ }],
      [lakefn('sql'), { exit: 2, code: 'E_USAGE', message: 'give the statements either as one argument or with -f FILE (not both, not neither)' }],
      [lakefn('sql', '--no-such-flag', 'SHOW CONNECTIONS'), { exit: 2, code: 'E_USAGE', message: "unknown option '--no-such-flag'" }],
      [lakefn('sql', '-f', join(home, 'missing.sql')), { exit: 2, code: 'E_USAGE', message: /^cannot read file .*missing\.sql: ENOENT/ }],
      [lakefn('connection', 'create', 'x', '--provider', 'aws'), { exit: 2, code: 'E_USAGE', message: "required option '--region <region>' not specified" }],
      [lakefn('connection', 'create', 'bad', '--provider', 'gcp', '--region', 'x', '--role-arn', 'y'), { exit: 2, code: 'E_USAGE', message: `option '--provider <provider>' argument 'gcp' is invalid. Allowed choices are ${PROVIDER_NAMES.join(', ')}.` }],
      [lakefn('connection', 'alter', 'sales'), { exit: 2, code: 'E_USAGE', message: /^nothing to change: give at least one of --provider/ }],
      [lakefn('connection', 'create', 'x', ...AWS_FLAGS, '--or-replace', '--if-not-exists'), { exit: 2, code: 'E_USAGE', message: "option '--or-replace' cannot be used with option '--if-not-exists'" }],
      [lakefn('connection', 'alter', 'sales', '--comment', 'x', '--clear-comment'), { exit: 2, code: 'E_USAGE', message: "option '--comment <text>' cannot be used with option '--clear-comment'" }],
      [lakefn('no-such-command'), { exit: 2, code: 'E_USAGE', message: "unknown command 'no-such-command'" }],
    ];
    // STS is pointed at a closed loopback port: VALIDATE proves nothing, says why, changes nothing and exits 1 (a result)
    const validated = lakefnWith({ LAKEFN_AWS_STS_ENDPOINT: 'http://127.0.0.1:9' }, 'connection', 'validate', 'sales');
    const help = lakefn('--help');
    for (const [run, expected] of failures) expectCliError(await run, expected);
    expectCliError(await validated, { exit: 1, code: 'E_VALIDATION_INCONCLUSIVE', message: /^connection 'sales' did not validate \(INCONCLUSIVE: step 1 .*could not reach AWS STS.*stored status is unchanged/ });
    assert.equal((await help).code, 0);
  });

  it('SQL text may start with a -- comment or a dash, before or after the options', async () => {
    const created = ok(await lakefn('sql', `-- the sales team's role\nCREATE API CONNECTION sales ${AWS_DDL}`));
    assert.match(created.stdout, /^connection 'sales' created/);
    const listed = jsonOf(ok(await lakefn('sql', '--json', '--note\nSHOW API CONNECTIONS'))) as { name: string }[];
    assert.deepEqual(listed.map((row) => row.name), ['sales']);
    assert.deepEqual((jsonOf(ok(await lakefn('sql', '-- x\nSHOW API CONNECTIONS', '--json'))) as { name: string }[]).map((row) => row.name), ['sales']);
    // the text is SQL, not an option: a script that is only a comment is refused by the SQL parser, not by commander
    expectCliError(await lakefn('sql', '- 1'), { exit: 1, code: 'E_SYNTAX', message: /^syntax error at 1:1/ });
    // what looks like an option is still one
    expectCliError(await lakefn('sql', '--jsn', 'SHOW API CONNECTIONS'), { exit: 2, code: 'E_USAGE', message: "unknown option '--jsn'\n(Did you mean --json?)" });
  });

  it('connection create/list/desc/alter/rotate/drop mirror the DDL; ALTER keeps the external ID, ROTATE replaces it', async () => {
    const created = jsonOf(ok(await lakefn('connection', 'create', 'Sales', ...AWS_FLAGS, '--comment', 'first', '--json'))) as { name: string; connection: { external_id: string; version: number } };
    assert.equal(created.name, 'sales', 'unquoted names fold to lower case, as in SQL');
    const externalId = created.connection.external_id;
    ok(await lakefn('connection', 'create', 'scf', '--provider', 'TENCENT', '--region', 'ap-beijing', '--role-arn', 'qcs::cam::uin/100000000001:roleName/LakehouseRole', '--namespace', 'default'));
    rejected(await lakefn('connection', 'create', 'scf2', '--provider', 'tencent', '--region', 'ap-beijing', '--role-arn', 'qcs::cam::uin/100000000001:roleName/R'), 'E_INVALID_NAMESPACE', /^--namespace is required/);
    const listed = ok(await lakefn('connection', 'list', '--like', 'S%'));
    assert.match(listed.stdout, /^sales +aws/m);
    assert.match(listed.stdout, /^scf +tencent/m);
    const kept = ok(await lakefn('connection', 'create', 'sales', ...AWS_FLAGS, '--if-not-exists'));
    assert.match(kept.stderr, /notice: connection 'sales' already exists; IF NOT EXISTS left it unchanged/);

    const altered = jsonOf(ok(await lakefn('connection', 'alter', 'sales', '--role-arn', 'arn:aws:iam::123456789012:role/other', '--clear-comment', '--json'))) as { connection: Record<string, unknown> };
    assert.equal(altered.connection['external_id'], externalId);
    assert.equal(altered.connection['role_arn'], 'arn:aws:iam::123456789012:role/other');
    assert.equal(altered.connection['comment'], null);
    assert.equal(altered.connection['version'], 2);
    rejected(await lakefn('connection', 'alter', 'sales', '--region', 'cn-north-1'), 'E_INVALID_ROLE_ARN', /partition/);

    const rotated = ok(await lakefn('connection', 'rotate', 'sales'));
    assert.match(rotated.stdout, /connection 'sales' external ID rotated/);
    assert.match(rotated.stderr, new RegExp(`from ${externalId} to [A-Za-z0-9]{32}.*trust policy`));
    const after = jsonOf(ok(await lakefn('connection', 'desc', 'sales', '--json'))) as Record<string, unknown>;
    assert.notEqual(after['external_id'], externalId);
    assert.equal(after['version'], 3);

    const replaced = ok(await lakefn('connection', 'create', 'sales', ...AWS_FLAGS, '--or-replace'));
    assert.match(replaced.stderr, /replaced by a new object with a new external ID/);

    ok(await lakefn('sql', 'CREATE EXTERNAL FUNCTION ml.score(x DOUBLE) RETURNS DOUBLE CONNECTION sales'));
    assert.match(ok(await lakefn('function', 'list')).stdout, /^ml\.score +x DOUBLE +DOUBLE +sales +score/m);
    assert.match(ok(await lakefn('function', 'desc', 'ml.score')).stdout, /^max_batch_rows +500$/m);
    rejected(await lakefn('connection', 'drop', 'sales'), 'E_CONNECTION_IN_USE', /'ml\.score'/);
    assert.match(ok(await lakefn('connection', 'drop', 'sales', '--cascade')).stdout, /connection 'sales' dropped with 1 function\(s\): ml\.score/);
    assert.match(ok(await lakefn('connection', 'drop', 'sales', '--if-exists')).stderr, /IF EXISTS made this a no-op/);
    rejected(await lakefn('function', 'drop', 'ml.score'), 'E_NO_SUCH_FUNCTION', /ml\.score/);
    assert.deepEqual((jsonOf(ok(await lakefn('connection', 'list', '--json'))) as { name: string }[]).map((row) => row.name), ['scf']);
  });

  it('reads scripts from a file or standard input', async () => {
    const file = join(home, 'setup.sql');
    writeFileSync(file, `-- setup\nCREATE API CONNECTION a ${AWS_DDL};\n/* two */ CREATE API CONNECTION b ${AWS_DDL};\n`);
    assert.match(ok(await lakefn('sql', '-f', file)).stdout, /'a' created.*\n.*'b' created/);
    const fromStdin = await runCli(['sql', '-f', '-', '--json'], { environment: { LAKEFN_HOME: home }, input: 'SHOW CONNECTIONS' });
    assert.deepEqual((jsonOf(ok(fromStdin)) as { name: string }[]).map((row) => row.name), ['a', 'b']);
    // a script that is not UTF-8 is refused where it breaks, never read with U+FFFD in it
    writeFileSync(file, Buffer.concat([Buffer.from("-- one\nCREATE API CONNECTION c TYPE CLOUD_FUNCTION COMMENT 'caf"), Buffer.from([0xe9]), Buffer.from("'")]));
    expectCliError(await lakefn('sql', '-f', file), { exit: 1, code: 'E_SYNTAX', message: /^file .*setup\.sql: line 2 is not valid UTF-8 \(byte offset 63\); save the script as UTF-8$/ });
  });

  it('--home works before or after the command, LAKEFN_HOME is the default, else ./.lakefn', async () => {
    const other = join(home, 'elsewhere');
    ok(await runCli(['--home', other, 'sql', `CREATE API CONNECTION a ${AWS_DDL}`]));
    ok(await runCli(['connection', 'create', 'b', ...AWS_FLAGS, '--home', other]));
    const listed = jsonOf(ok(await runCli(['connection', 'list', '--json'], { environment: { LAKEFN_HOME: other } }))) as { name: string }[];
    assert.deepEqual(listed.map((row) => row.name), ['a', 'b']);
    assert.equal(statSync(join(other, 'store.key')).mode & 0o777, 0o600);
    ok(await runCli(['sql', `CREATE API CONNECTION c ${AWS_DDL}`], { cwd: home }));
    assert.ok(existsSync(join(home, '.lakefn', 'lakefn.db')));
    // tidy up for the afterEach secret scan, which reads <home>/store.key
    ok(await lakefn('connection', 'list'));
  });
});
