import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectCliError, jsonOf, runCli } from '../cli/run-cli.ts';
import { PROVIDERS, startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

// `lakefn query` as a user runs it: a child process, the catalog in --home, the mock cloud via the environment.
describe('lakefn query', () => {
  let stack: LakefnStack;
  const query = (args: readonly string[]) => runCli(['query', ...args, '--home', stack.home], { environment: stack.environment });

  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('aws', 'lambda_conn');
    stack.putFunction('aws', 'upper', { builtin: 'upper' });
    stack.putFunction('aws', 'add', { builtin: 'add' });
    stack.putFunction('aws', 'fail_on', { builtin: 'fail_on' });
    await stack.sql(`
      CREATE EXTERNAL FUNCTION upper_fn(s VARCHAR) RETURNS VARCHAR CONNECTION lambda_conn AS 'upper' WITH PROPERTIES ('volatility'='immutable');
      CREATE EXTERNAL FUNCTION add_fn(a BIGINT, b BIGINT) RETURNS BIGINT CONNECTION lambda_conn AS 'add';
      CREATE EXTERNAL FUNCTION fail_fn(s VARCHAR) RETURNS VARCHAR CONNECTION lambda_conn AS 'fail_on'`);
    // one connection and one function on every provider
    for (const provider of PROVIDERS) {
      await stack.createConnection(provider, `c_${provider}`);
      stack.putFunction(provider, 'upper', { builtin: 'upper' });
      await stack.sql(`CREATE EXTERNAL FUNCTION upper_${provider}(s VARCHAR) RETURNS VARCHAR CONNECTION c_${provider} AS 'upper'`);
    }
  });

  after(async () => {
    await stack?.stop();
  });

  it('prints an aligned table', async () => {
    const run = await query(["SELECT x, upper_fn(x) AS u, add_fn(2, 40) AS s FROM (VALUES ('ab'), (NULL), ('c')) v(x) ORDER BY x NULLS LAST"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, ['x   u    s', '--  --  --', 'ab  AB  42', 'c   C   42', '        42', ''].join('\n'));
  });

  it('one query calls a function on every provider', async () => {
    const columns = PROVIDERS.map((provider) => `upper_${provider}(x) AS ${provider}`).join(', ');
    const run = await query(['--json', `SELECT x, ${columns} FROM (VALUES ('ab'), (NULL), ('ß')) v(x) ORDER BY x NULLS LAST`]);
    assert.equal(run.code, 0, run.stderr);
    const expected = (x: string | null) => ({ x, ...Object.fromEntries(PROVIDERS.map((provider) => [provider, x === null ? null : x.toUpperCase()])) });
    assert.deepEqual(jsonOf(run), [expected('ab'), expected('ß'), expected(null)]);
  });

  it('prints JSON with BIGINT beyond 2^53 kept to the last digit', async () => {
    const json = await query(['--json', 'SELECT add_fn(9007199254740993, 1) AS big, upper_fn(NULL) AS n']);
    assert.equal(json.code, 0, json.stderr);
    assert.match(json.stdout, /"big": 9007199254740994/);
    assert.deepEqual(jsonOf(json), [{ big: 9007199254740994, n: null }]);
  });

  it('fails with exit 1 and a DuckDB error naming the function and the cause', async () => {
    const run = await query(["SELECT fail_fn(x) FROM (VALUES ('fail')) v(x)"]);
    expectCliError(run, { exit: 1, code: 'E_QUERY', message: /^Invalid Input Error: fail_fn: E_REMOTE_FUNCTION_ERROR: .*fail_on: row 0 has the value 'fail'/ });
    assert.match(run.stderr, /^lakefn: E_QUERY: /);
    assert.equal(run.stdout, '');
  });

  it('takes SQL that starts with a -- comment or a dash', async () => {
    const commented = await query(['-- nightly check\nSELECT add_fn(2, 40) AS s', '--json']);
    assert.equal(commented.code, 0, commented.stderr);
    assert.deepEqual(jsonOf(commented), [{ s: 42 }]);
    // text that starts with a dash reaches DuckDB (which refuses it), not commander's option parser
    const dashed = await query(['--json', '-1 AS s']);
    expectCliError(dashed, { exit: 1, code: 'E_QUERY', message: /^Parser Error: syntax error at or near "-"/ });
  });

  it('--as USER: only the functions the user may call are registered, and its calls are decided as it', async () => {
    await stack.sql('CREATE USER analyst; CREATE ROLE readers; GRANT ROLE readers TO USER analyst; GRANT EXECUTE ON FUNCTION add_fn TO ROLE readers');
    const allowed = await query(['--as', 'analyst', '--json', 'SELECT add_fn(2, 40) AS s']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.deepEqual(jsonOf(allowed), [{ s: 42 }]);
    // upper_fn is not visible to analyst: DuckDB does not know it
    const hidden = await query(['--as', 'analyst', "SELECT upper_fn('a')"]);
    expectCliError(hidden, { exit: 1, code: 'E_QUERY', message: /Scalar Function with name upper_fn does not exist/ });
    const records = await stack.runtime.store.read((session) => session.audit.list({ types: ['INVOKE_SUMMARY'], principal: 'analyst' }));
    assert.ok(records.length >= 1);
    assert.match(JSON.stringify(records[0]?.body['acting_as_by']), /^"local:/, 'the audit keeps who ran --as');
  });

  it('refuses --json with --csv as a usage error', async () => {
    const run = await query(['--json', '--csv', 'SELECT 1']);
    expectCliError(run, { exit: 2, code: 'E_USAGE', message: 'choose one of --json and --csv' });
  });
});
