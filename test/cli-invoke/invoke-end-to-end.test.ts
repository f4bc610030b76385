// `lakefn invoke` end to end: the real executable in a child process, against the mock cloud (real SDKs over
// loopback) and a temp LAKEFN_HOME whose catalog holds a connection to the mock's role and a few functions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { type CliRun, runCli } from '../cli/run-cli.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const VARCHAR: SqlType = { kind: 'VARCHAR' };
const BIGINT: SqlType = { kind: 'BIGINT' };

function functionRecord(name: string, connection: ConnectionRecord, cloudFunction: string, argumentTypes: readonly SqlType[], returnType: SqlType, properties: Partial<FunctionProperties> = {}): FunctionRecord {
  return {
    id: crypto.randomUUID(),
    name,
    arguments: argumentTypes.map((type, index) => ({ name: `a${index}`, type })),
    returnType,
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties },
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

describe('lakefn invoke (child process, mock cloud)', () => {
  let mock: MockCloudContext;
  let home: string;
  const lakefn = (...args: string[]): Promise<CliRun> => runCli(args, { environment: { ...mock.environment, LAKEFN_HOME: home } });

  before(async () => {
    mock = await startMockCloud();
    home = mkdtempSync(join(tmpdir(), 'lakefn-invoke-'));
    const fixture = mock.fixtures.aws;
    fixture.putFunction('upper', { builtin: 'upper' });
    fixture.putFunction('add', { builtin: 'add' });
    fixture.putFunction('fail_on', { builtin: 'fail_on' });
    const store = await openCatalogStore({ home, environment: {} });
    try {
      await store.connections.create(fixture.connection);
      const connection = fixture.connection;
      await store.functions.create(functionRecord('upper', connection, 'upper', [VARCHAR], VARCHAR, { maxBatchRows: 250 }));
      await store.functions.create(functionRecord('add', connection, 'add', [BIGINT, BIGINT], BIGINT));
      await store.functions.create(functionRecord('fail_on', connection, 'fail_on', [VARCHAR], VARCHAR, { maxBatchRows: 10 }));
    } finally {
      await store.close();
    }
  });

  after(async () => {
    await stopMockCloud(mock);
    rmSync(home, { recursive: true, force: true });
  });

  test('an NDJSON file in, an NDJSON file out: one correct result per row, in order; --json stats on stdout', async () => {
    const rows = 20_000;
    const input = join(home, 'rows.ndjson');
    const output = join(home, 'results.ndjson');
    writeFileSync(input, Array.from({ length: rows }, (_, index) => JSON.stringify([index % 1000 === 0 ? null : `v${index}`])).join('\n') + '\n');
    const run = await lakefn('invoke', 'upper', '--input', input, '--output', output, '--json', '--query-id', 'cli1');
    assert.equal(run.code, 0, run.stderr);
    const lines = readFileSync(output, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, rows);
    lines.forEach((line, index) => {
      if (line !== (index % 1000 === 0 ? 'null' : `"V${index}"`)) assert.fail(`line ${index + 1}: ${line}`);
    });
    const summary = JSON.parse(run.stdout) as { rows: number; stats: { rows: number; batches: number; attempts: number; latency_ms: { p50: number } } };
    assert.equal(summary.rows, rows);
    assert.equal(summary.stats.rows, rows);
    assert.equal(summary.stats.batches, rows / 250);
    assert.ok(summary.stats.latency_ms.p50 > 0);
    assert.ok(!run.stderr.includes('\u001b['), 'no progress bar when stderr is not a TTY');
    const invokes = mock.cloud.calls().filter((entry) => entry.batchId?.startsWith('cli1:upper:') === true);
    assert.equal(invokes.length, rows / 250);
  });

  test('--rows inline with results on stdout and the stats table on stderr; BIGINT stays exact', async () => {
    const run = await lakefn('invoke', 'add', '--rows', '[[1, 2], ["9223372036854775806", 1], [null, 5], [9007199254740993, 0]]');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), ['3', '"9223372036854775807"', 'null', '"9007199254740993"', '']);
    assert.match(run.stderr, /^rows\s+4$/m);
    assert.match(run.stderr, /^batches\s+1$/m);
    assert.match(run.stderr, /^latency p50\/p95\/p99\s+[\d.]+ \/ [\d.]+ \/ [\d.]+ ms$/m);
  });

  test('CSV input (RFC 4180 quotes, header) is converted to the argument types', async () => {
    const input = join(home, 'rows.csv');
    writeFileSync(input, 'a,b\r\n1,2\r\n"40","2"\r\n,7\r\n');
    const run = await lakefn('invoke', 'add', '--input', input, '--header');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), ['3', '42', 'null', '']);

    const text = join(home, 'text.csv');
    writeFileSync(text, 'plain\n"with, comma"\n"with ""quotes"""\n"two\nlines"\n""\n');
    const upper = await lakefn('invoke', 'upper', '--input', text);
    assert.equal(upper.code, 0, upper.stderr);
    assert.deepEqual(upper.stdout.split('\n'), ['"PLAIN"', '"WITH, COMMA"', '"WITH \\"QUOTES\\""', '"TWO\\nLINES"', '""', '']);
  });

  test('a function error exits 1 with the typed error naming function, connection and batch', async () => {
    const run = await lakefn('invoke', 'fail_on', '--rows', JSON.stringify([...Array.from({ length: 25 }, (_, index) => [`ok${index}`]), ['fail']]), '--query-id', 'q');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /lakefn: E_REMOTE_FUNCTION_ERROR: function 'fail_on' via connection 'aws_lakefn_contract' \(aws\), batch q:fail_on:2/);
    assert.match(run.stderr, /^failed|^rows\s+\d+$/m, 'the stats table is printed on failure too');
  });

  test('a bad input line is E_BAD_ROW naming the line and the argument', async () => {
    const input = join(home, 'bad.ndjson');
    writeFileSync(input, '[1, 2]\n\n[1, "x"]\n');
    const run = await lakefn('invoke', 'add', '--input', input);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /E_BAD_ROW: input line 3, argument a1 \(BIGINT\)/);
  });

  test('a usage error exits 2; an unknown function exits 1', async () => {
    assert.equal((await lakefn('invoke', 'upper')).code, 2);
    const missing = await lakefn('invoke', 'nope', '--rows', '[["a"]]');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /E_NO_SUCH_FUNCTION: function nope does not exist/);
  });
});
