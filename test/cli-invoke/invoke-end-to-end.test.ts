// `lakefn invoke` end to end: the real executable in a child process, against the mock cloud (real SDKs over
// loopback) and a temp LAKEFN_HOME whose catalog holds a connection to the mock's role and a few functions.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { type CliRun, expectCliError, runCli } from '../cli/run-cli.ts';
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
    expectCliError(run, { exit: 1, code: 'E_REMOTE_FUNCTION_ERROR', message: /^function 'fail_on' via connection 'aws_lakefn_contract' \(aws\), batch q:fail_on:2/ });
    assert.match(run.stderr, /^failed|^rows\s+\d+$/m, 'the stats table is printed on failure too');
  });

  test('a bad input line is E_BAD_ROW naming the line and the argument', async () => {
    const input = join(home, 'bad.ndjson');
    writeFileSync(input, '[1, 2]\n\n[1, "x"]\n');
    const run = await lakefn('invoke', 'add', '--input', input);
    expectCliError(run, { exit: 1, code: 'E_BAD_ROW', message: /^input line 3, argument a1 \(BIGINT\)/ });
  });

  test('a usage error exits 2; an unknown function exits 1', async () => {
    expectCliError(await lakefn('invoke', 'upper'), { exit: 2, code: 'E_USAGE', message: /^give the rows with exactly one of --rows/ });
    expectCliError(await lakefn('invoke', 'upper', '--rows', '[["a"]]', '--input', 'x.ndjson'), { exit: 2, code: 'E_USAGE', message: "option '--rows <json>' cannot be used with option '--input <file>'" });
    expectCliError(await lakefn('invoke', 'upper', '--rows', '[["a"]]', '--header'), { exit: 2, code: 'E_USAGE', message: "option '--header' cannot be used with option '--rows <json>'" });
    expectCliError(await lakefn('invoke', 'upper', '--input', 'x', '--format', 'tsv'), { exit: 2, code: 'E_USAGE', message: "option '--format <format>' argument 'tsv' is invalid. Allowed choices are ndjson, csv." });
    expectCliError(await lakefn('invoke', 'nope', '--rows', '[["a"]]'), { exit: 1, code: 'E_NO_SUCH_FUNCTION', message: /^function nope does not exist/ });
  });

  test('a blank line in one-column CSV is a NULL row, as COPY … CSV reads it; "" is the empty string', async () => {
    const input = join(home, 'blank.csv');
    writeFileSync(input, 'a\n\n""\nb\n');
    const run = await lakefn('invoke', 'upper', '--input', input);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), ['"A"', 'null', '""', '"B"', '']);
    assert.match(run.stderr, /^rows\s+4$/m);
    // in a two-column file a blank line is a row with one field: an error naming the line, never a dropped row
    const pairs = join(home, 'blank-pairs.csv');
    writeFileSync(pairs, '1,2\n\n3,4\n');
    expectCliError(await lakefn('invoke', 'add', '--input', pairs), { exit: 1, code: 'E_BAD_ROW', message: /^CSV input line 2: expected 2 field\(s\) for add\(BIGINT, BIGINT\), got 1/ });
  });

  test('invalid UTF-8 in NDJSON or CSV input is E_BAD_ROW naming the line, never replaced', async () => {
    const ndjson = join(home, 'latin1.ndjson');
    writeFileSync(ndjson, Buffer.concat([Buffer.from('["ok"]\n["caf'), Buffer.from([0xe9]), Buffer.from('"]\n')]));
    expectCliError(await lakefn('invoke', 'upper', '--input', ndjson), { exit: 1, code: 'E_BAD_ROW', message: /^input line 2: not valid UTF-8 \(byte offset 12\)/ });
    const csv = join(home, 'latin1.csv');
    writeFileSync(csv, Buffer.concat([Buffer.from('ok\n"two\nlines"\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expectCliError(await lakefn('invoke', 'upper', '--input', csv), { exit: 1, code: 'E_BAD_ROW', message: /^CSV input line 4: not valid UTF-8 \(byte offset 18\)/ });
  });

  test('--input - reads standard input (NDJSON, or CSV with --format csv)', async () => {
    const ndjson = await runCli(['invoke', 'upper', '--input', '-'], { environment: { ...mock.environment, LAKEFN_HOME: home }, input: '["a"]\n["b"]\n' });
    assert.equal(ndjson.code, 0, ndjson.stderr);
    assert.deepEqual(ndjson.stdout.split('\n'), ['"A"', '"B"', '']);
    const csv = await runCli(['invoke', 'add', '--input', '-', '--format', 'csv', '--header'], { environment: { ...mock.environment, LAKEFN_HOME: home }, input: 'a,b\n1,2\n' });
    assert.equal(csv.code, 0, csv.stderr);
    assert.deepEqual(csv.stdout.split('\n'), ['3', '']);
  });

  test('--output is written whole or not at all: a failed run leaves no file and an existing one untouched', async () => {
    const output = join(home, 'out.ndjson');
    const rows = JSON.stringify([...Array.from({ length: 25 }, (_, index) => [`ok${index}`]), ['fail']]);
    expectCliError(await lakefn('invoke', 'fail_on', '--rows', rows, '--output', output), { exit: 1, code: 'E_REMOTE_FUNCTION_ERROR', message: /fail_on/ });
    assert.deepEqual(readdirSync(home).filter((name) => name.includes('out.ndjson')), [], 'neither the output nor a temporary file is left');

    writeFileSync(output, 'previous results\n');
    expectCliError(await lakefn('invoke', 'fail_on', '--rows', rows, '--output', output), { exit: 1, code: 'E_REMOTE_FUNCTION_ERROR', message: /fail_on/ });
    assert.equal(readFileSync(output, 'utf8'), 'previous results\n', 'a failed run does not clobber an existing file');
    assert.deepEqual(readdirSync(home).filter((name) => name.includes('out.ndjson')), ['out.ndjson']);

    const done = await lakefn('invoke', 'upper', '--rows', '[["x"]]', '--output', output);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(readFileSync(output, 'utf8'), '"X"\n');
    assert.deepEqual(readdirSync(home).filter((name) => name.includes('out.ndjson')), ['out.ndjson']);
  });

  test('a JSON row with a duplicate key or nested past the limit is refused, naming the line', async () => {
    const input = join(home, 'duplicate.ndjson');
    writeFileSync(input, '["a"]\n[{"k": 1, "k": 2}]\n');
    expectCliError(await lakefn('invoke', 'upper', '--input', input), { exit: 1, code: 'E_BAD_ROW', message: /^input line 2: JSON object with the key "k" twice \(which value is meant is ambiguous\), at character 10/ });
    const deep = join(home, 'deep.ndjson');
    writeFileSync(deep, `${'['.repeat(1001)}${']'.repeat(1001)}\n`);
    expectCliError(await lakefn('invoke', 'upper', '--input', deep), { exit: 1, code: 'E_BAD_ROW', message: /^input line 1: JSON nested deeper than 1000 levels/ });
  });
});
