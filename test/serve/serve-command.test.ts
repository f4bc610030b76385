import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { cliEnvironment, expectCliError, REPOSITORY, runCli } from '../cli/run-cli.ts';
import { PROVIDERS, startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

const BIN = fileURLToPath(new URL('../../bin/lakefn.js', import.meta.url));

interface RunningServe {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `lakefn serve --json` as a child process and waits for the address it prints. */
async function startServe(args: readonly string[], environment: Record<string, string>): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], { cwd: REPOSITORY, env: cliEnvironment(environment), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /"url": "([^"]+)"/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`lakefn serve exited (${code}) before listening:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

async function stopServe(serve: RunningServe | undefined): Promise<void> {
  if (serve === undefined || serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  serve.child.kill('SIGKILL');
  await serve.exited;
}

async function evaluate(url: string, name: string, rows: unknown[][], headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v1/functions/${name}/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ rows }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// `lakefn serve` as an operator runs it: a child process over the real stack (SDKs → mock cloud).
describe('lakefn serve (child process)', () => {
  let stack: LakefnStack;

  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('aliyun', 'fc_conn');
    stack.putFunction('aliyun', 'upper', { builtin: 'upper' });
    stack.putFunction('aliyun', 'slow', { builtin: 'echo', latencyMs: 1500 });
    await stack.sql(`
      CREATE EXTERNAL FUNCTION upper_fn(s VARCHAR) RETURNS VARCHAR CONNECTION fc_conn AS 'upper';
      CREATE EXTERNAL FUNCTION slow_fn(s VARCHAR) RETURNS VARCHAR CONNECTION fc_conn AS 'slow'`);
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

  it('serves the catalog functions and drains an in-flight request on SIGTERM, then exits 0', async () => {
    let serve: RunningServe | undefined;
    try {
      const token = randomBytes(32).toString('base64');
      const auth = { authorization: `Bearer ${token}` };
      serve = await startServe(['--home', stack.home], { ...stack.environment, LAKEFN_SERVE_TOKEN: token });
      assert.deepEqual(await evaluate(serve.url, 'upper_fn', [['fc'], [null]], auth), { status: 200, body: { results: ['FC', null] } });
      const slow = evaluate(serve.url, 'slow_fn', [['still answered']], auth);
      // SIGTERM once the slow call is running in the (mock) cloud
      while (!Object.entries(stack.mock.counters().functions).some(([key, counters]) => key.endsWith('/slow') && counters.inFlight > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      serve.child.kill('SIGTERM');
      assert.deepEqual(await slow, { status: 200, body: { results: ['still answered'] } });
      assert.equal(await serve.exited, 0);
      assert.match(serve.stderr(), /SIGTERM: draining 1 in-flight request/);
      await assert.rejects(fetch(`${serve.url}/healthz`));
    } finally {
      await stopServe(serve);
    }
  });

  it('serves a function on every provider, each answering every row', async () => {
    let serve: RunningServe | undefined;
    try {
      const token = randomBytes(32).toString('base64');
      serve = await startServe(['--home', stack.home], { ...stack.environment, LAKEFN_SERVE_TOKEN: token });
      const url = serve.url;
      const auth = { authorization: `Bearer ${token}` };
      const answers = await Promise.all(PROVIDERS.map((provider) => evaluate(url, `upper_${provider}`, [[provider], [null], ['ß']], auth)));
      assert.deepEqual(answers, PROVIDERS.map((provider) => ({ status: 200, body: { results: [provider.toUpperCase(), null, 'SS'] } })));
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited, 0);
    } finally {
      await stopServe(serve);
    }
  });

  it('refuses a LAKEFN_SERVE_TOKEN under 128 bits (exit 2), and enforces a configured token', async () => {
    const weak = await runCli(['serve', '--port', '0', '--home', stack.home], { environment: { ...stack.environment, LAKEFN_SERVE_TOKEN: 'token-for-test' } });
    expectCliError(weak, { exit: 2, code: 'E_USAGE', message: /^LAKEFN_SERVE_TOKEN is too weak: 14 characters carry at most \d+ bits, at least 128 are required; make one with: openssl rand -base64 32$/ });
    assert.ok(!weak.stderr.includes('token-for-test'), 'the refused token is not printed');
    const limits = await runCli(['serve', '--port', '0', '--home', stack.home, '--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'], { environment: stack.environment });
    expectCliError(limits, { exit: 2, code: 'E_USAGE', message: 'the headers timeout (5000 ms) must not exceed the request timeout (1000 ms)' });
    expectCliError(await runCli(['serve', '--max-connections', '0', '--home', stack.home], { environment: stack.environment }), {
      exit: 2,
      code: 'E_USAGE',
      message: "--max-connections must be an integer from 1 to 1000000, got '0'",
    });
    const token = randomBytes(32).toString('base64');
    let serve: RunningServe | undefined;
    try {
      serve = await startServe(['--home', stack.home], { ...stack.environment, LAKEFN_SERVE_TOKEN: token });
      assert.equal((await evaluate(serve.url, 'upper_fn', [['x']])).status, 401);
      assert.equal((await evaluate(serve.url, 'upper_fn', [['x']], { authorization: 'Bearer wrong' })).status, 401);
      assert.deepEqual(await evaluate(serve.url, 'upper_fn', [['x']], { authorization: `Bearer ${token}` }), { status: 200, body: { results: ['X'] } });
      const metrics = await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.match(await metrics.text(), /lakefn_rows_total\{function="upper_fn",connection="fc_conn"\} 1/);
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited, 0);
    } finally {
      await stopServe(serve);
    }
  });
});
