// Programmatic options and inputs are refused one way everywhere (issue 14): LakefnError E_INVALID_ARGUMENT naming the
// option, never a TypeError or RangeError from deep inside a library. Over the adapters of every provider, the
// credential broker, VALIDATE, the dispatcher's result stream and the mock cloud.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { createCredentialBroker, validateConnection } from '../../src/credentials/index.ts';
import { createResultStream } from '../../src/dispatcher/result-stream.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { PROVIDERS } from '../../src/registry/providers.ts';
import { createFakeStsAdapter, makeConnection } from '../credentials/fake-sts-adapter.ts';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

function invalidArgument(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, 'E_INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  };
}

function sourceFiles(directory: string): string[] {
  return readdirSync(join(REPOSITORY, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('options are validated one way', () => {
  for (const definition of PROVIDERS) {
    it(`${definition.id}: adapter settings out of range are E_INVALID_ARGUMENT naming the setting`, async () => {
      // every adapter keeps keep-alive sockets per host
      for (const maxSockets of [0, 1.5, -1, Number.NaN]) {
        const settings = { endpoints: {}, maxSockets };
        await assert.rejects(definition.createAdapter(settings), invalidArgument(/^Expected `maxSockets` to be an integer ≥ 1, got/));
      }
    });
  }

  it('the credential broker and VALIDATE', async () => {
    const adapter = createFakeStsAdapter({ now: () => Date.now() });
    const adapterFor = () => adapter;
    assert.throws(() => createCredentialBroker({ adapterFor, stsTimeoutMs: 0 }), invalidArgument(/`stsTimeoutMs`/));
    assert.throws(() => createCredentialBroker({ adapterFor, maxEntries: Number.NaN }), invalidArgument(/`maxEntries`/));
    await assert.rejects(validateConnection(makeConnection(), { adapterFor, timeoutMs: -5 }), invalidArgument(/`timeoutMs`/));
  });

  it('a result stream iterated twice', async () => {
    const stream = createResultStream(async function* () {
      yield [1];
    }, () => ({}) as never);
    for await (const row of stream) assert.equal(row, 1);
    assert.throws(() => stream.batches()[Symbol.asyncIterator](), invalidArgument(/iterated only once/));
  });

  it('the mock cloud: its start options and what is registered in it', async () => {
    await assert.rejects(MockCloud.start({ port: 70_000 }), invalidArgument(/`port`/));
    const cloud = await MockCloud.start();
    try {
      assert.throws(() => cloud.putFunction({ provider: 'aws', accountId: cloud.customerAccounts.aws.accountId, region: 'us-east-1', name: 'a/b', builtin: 'upper' }), invalidArgument(/invalid function name/));
      assert.throws(() => cloud.putRole({ provider: 'aws', roleArn: 'not-an-arn', trustPolicy: '{}' }), invalidArgument(/is not a aws role ARN/));
      assert.throws(() => cloud.setClockOffset(0.5), invalidArgument(/clock offset/));
    } finally {
      await cloud.stop();
    }
  });

  it('no TypeError or RangeError is thrown for bad input in src/, providers/ or mocks/', () => {
    for (const file of ['src', 'providers', 'mocks'].flatMap(sourceFiles)) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /new (?:Type|Range)Error\(/, file);
    }
  });
});
