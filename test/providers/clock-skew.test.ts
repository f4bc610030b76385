// Issue 13 §3 (clock skew): every provider's STS and function service refuse a request signed too far from their clock
// (SigV4 and ACS3 15 minutes, TC3 5 minutes). The mock's services are skewed with PUT /clock; lakefn corrects its clock
// per endpoint from the refusal's Date header, signs again once, and says by how much the local clock is off when that
// is beyond what it corrects. Through both invoke transports and the real SDKs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { MAX_CLOCK_CORRECTION_MS, type InvokeTransport } from '../../src/provider-utils/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import type { ProviderName } from '../../src/spec/index.ts';
import { dispatcherFor, testFunctionRecord } from '../helpers/mock-dispatcher.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const MINUTE = 60_000;

const rows = (count: number): string[][] => Array.from({ length: count }, (_, index) => [`v${index}`]);

function clockSkew(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, 'E_CLOCK_SKEW', error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const transport of ['http', 'sdk'] as const satisfies readonly InvokeTransport[]) {
  describe(`clock skew, ${transport} transport`, () => {
    let mock: MockCloudContext;
    before(async () => {
      mock = await startMockCloud({}, transport);
    });
    after(async () => {
      await stopMockCloud(mock);
    });

    /** A fresh adapter registry and broker over the shared mock (clock offsets are per adapter). */
    async function harness(provider: ProviderName, cloudFunction: string) {
      const { createProviderRegistry } = await import('../../src/registry/provider-registry.ts');
      const registry = createProviderRegistry({ environment: mock.environment, invokeTransport: transport });
      const fixture = mock.fixtures[provider];
      fixture.putFunction(cloudFunction, { builtin: 'upper' });
      const connection = fixture.connection;
      const run = dispatcherFor((name) => registry.adapterFor(name), mock.environment, testFunctionRecord(connection, cloudFunction, { properties: { maxBatchRows: 10 } }), connection);
      return {
        ...run,
        connection,
        async close() {
          await run.close();
          await registry.close();
        },
      };
    }

    for (const provider of PROVIDER_NAMES) {
      for (const skewMinutes of [20, -20]) {
        it(`${provider}: services skewed by ${skewMinutes} minutes still give every row right; the correction is kept per endpoint`, async () => {
          const run = await harness(provider, `skew_${skewMinutes < 0 ? 'behind' : 'ahead'}_${transport}`);
          mock.cloud.setClockOffset(skewMinutes * MINUTE);
          try {
            const firstCall = mock.cloud.calls().length;
            assert.deepEqual(await run.dispatcher.evaluate('f', [['a'], ['b']]), ['A', 'B']);
            const first = mock.cloud.calls().slice(firstCall).filter((entry) => entry.provider === provider);
            // one refused AssumeRole, signed again with the corrected clock; the mock serves every API on one origin,
            // so the invocation is signed right at once (the next test corrects an invocation endpoint on its own)
            const refused = first.filter((entry) => entry.errorCode !== undefined);
            const shown = JSON.stringify(first.map((entry) => [entry.api, entry.status, entry.errorCode]));
            assert.equal(refused.length, 1, shown);
            assert.ok(refused[0]?.api?.startsWith('sts:') === true, shown);
            // later batches are signed right the first time
            const secondCall = mock.cloud.calls().length;
            const results = await run.dispatcher.evaluate('f', rows(50));
            assert.deepEqual(results, rows(50).map(([value]) => value?.toUpperCase()));
            const refusedLater = mock.cloud.calls().slice(secondCall).filter((entry) => entry.provider === provider && entry.errorCode !== undefined);
            assert.deepEqual(refusedLater, []);
            // the temporary credentials' expiry is read on the corrected clock: still an hour away, not 40 or 80 minutes
            const credentials = await run.broker.credentialsFor(run.connection)();
            const remaining = credentials.expiration.getTime() - Date.now();
            assert.ok(remaining > 55 * MINUTE && remaining <= 60 * MINUTE + 2000, `credentials expire in ${Math.round(remaining / 1000)} s`);
          } finally {
            mock.cloud.setClockOffset(0);
            await run.close();
          }
        });
      }

      it(`${provider}: a skew that appears after the credentials were issued is corrected on the invocation`, async () => {
        const run = await harness(provider, `skew_later_${transport}`);
        try {
          assert.deepEqual(await run.dispatcher.evaluate('f', [['a']]), ['A']);
          mock.cloud.setClockOffset(20 * MINUTE);
          const before = mock.cloud.calls().length;
          assert.deepEqual(await run.dispatcher.evaluate('f', [['b'], ['c']]), ['B', 'C']);
          const invokes = mock.cloud.calls().slice(before).filter((entry) => entry.provider === provider);
          assert.equal(invokes.length, 2, 'the refused invocation and the one signed again');
          assert.ok(invokes[0]?.errorCode !== undefined && invokes[1]?.errorCode === undefined);
        } finally {
          mock.cloud.setClockOffset(0);
          await run.close();
        }
      });

      it(`${provider}: a clock off by more than lakefn corrects is E_CLOCK_SKEW saying by how many seconds`, async () => {
        const run = await harness(provider, `skew_far_${transport}`);
        // beyond the correction, within the credentials' hour (so that the invocation meets the skew, not an expiry)
        const offset = MAX_CLOCK_CORRECTION_MS + 15 * MINUTE;
        try {
          // credentials first, so that the invocation meets the skew too
          await run.broker.credentialsFor(run.connection)();
          mock.cloud.setClockOffset(offset);
          const seconds = offset / 1000;
          await assert.rejects(run.dispatcher.evaluate('f', [['a']]), (error: unknown) => {
            assert.ok(LakefnError.isInstance(error));
            // the dispatcher locates the adapter's error; the clock is behind the service's by about 2 hours
            assert.equal(error.code, 'E_CLOCK_SKEW', error.message);
            assert.match(error.message, new RegExp(`the local clock is off by (${seconds - 1}|${seconds}|${seconds + 1}) seconds \\(behind the service's clock\\)`));
            assert.match(error.message, /more than the 30 minutes lakefn corrects.*NTP/);
            return true;
          });
          run.broker.invalidate(run.connection.id);
          await assert.rejects(run.broker.credentialsFor(run.connection)(), clockSkew(/off by \d+ seconds \(behind/));
        } finally {
          mock.cloud.setClockOffset(0);
          await run.close();
        }
      });
    }
  });
}
