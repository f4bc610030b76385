import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { argumentKey } from '../../src/dispatcher/argument-key.ts';
import { LatencyHistogram } from '../../src/dispatcher/latency-histogram.ts';
import { computeRetryDelay } from '../../src/dispatcher/retry-strategy.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { seededRandom } from './helpers/dispatcher-fixture.ts';

describe('computeRetryDelay', () => {
  const settings = { baseDelayMs: 100, throttleBaseDelayMs: 500, maxDelayMs: 20_000 };
  const transport = new LakefnError('E_TRANSPORT', 'reset');

  test('full jitter: uniform in [0, base·2^(n−1)), capped', () => {
    assert.equal(computeRetryDelay(1, transport, settings, () => 0), 0);
    assert.equal(computeRetryDelay(1, transport, settings, () => 0.999), 99);
    assert.equal(computeRetryDelay(4, transport, settings, () => 0.5), 400);
    assert.equal(computeRetryDelay(40, transport, settings, () => 0.5), 10_000);
    const random = seededRandom(1);
    const draws = Array.from({ length: 1000 }, () => computeRetryDelay(3, transport, settings, random));
    assert.ok(draws.every((delay) => delay >= 0 && delay < 400));
    const mean = draws.reduce((total, delay) => total + delay, 0) / draws.length;
    assert.ok(mean > 170 && mean < 230, `mean of a uniform draw on [0, 400): ${mean}`);
  });

  test('throttling uses the larger base; Retry-After is a floor', () => {
    const throttled = new LakefnError('E_THROTTLED', 'slow down');
    assert.equal(computeRetryDelay(1, throttled, settings, () => 0.5), 250);
    const withRetryAfter = new LakefnError('E_THROTTLED', 'slow down', { retryAfterSeconds: 2 });
    assert.equal(computeRetryDelay(1, withRetryAfter, settings, () => 0.5), 2_000);
    assert.equal(computeRetryDelay(8, withRetryAfter, settings, () => 0.5), 10_000, 'a larger draw wins over the floor');
  });

  test("a throttle's base shrinks to two observed latencies, within [10 ms, the configured base]", () => {
    const throttled = new LakefnError('E_THROTTLED', 'slow down');
    assert.equal(computeRetryDelay(1, throttled, settings, () => 0.5, 20), 20, 'the median draw waits one 20 ms latency');
    assert.equal(computeRetryDelay(3, throttled, settings, () => 0.5, 20), 80, 'still exponential in the attempt');
    assert.equal(computeRetryDelay(1, throttled, settings, () => 0.5, 1), 5, 'never below a 10 ms base');
    assert.equal(computeRetryDelay(1, throttled, settings, () => 0.5, 5_000), 250, 'never above the configured base');
    const withRetryAfter = new LakefnError('E_THROTTLED', 'slow down', { retryAfterSeconds: 1 });
    assert.equal(computeRetryDelay(1, withRetryAfter, settings, () => 0.5, 20), 1_000, 'Retry-After still wins');
    const transport = new LakefnError('E_TRANSPORT', 'reset');
    assert.equal(computeRetryDelay(1, transport, settings, () => 0.5, 20), 50, 'only throttles use the latency');
  });
});

describe('LatencyHistogram', () => {
  test('quantiles within ~1 % in fixed memory; mergeable', () => {
    const histogram = new LatencyHistogram();
    for (let value = 1; value <= 10_000; value += 1) histogram.record(value / 10);
    const { p50, p95, p99 } = histogram.summary();
    assert.ok(Math.abs(p50 - 500) / 500 < 0.011, `p50 ${p50}`);
    assert.ok(Math.abs(p95 - 950) / 950 < 0.011, `p95 ${p95}`);
    assert.ok(Math.abs(p99 - 990) / 990 < 0.011, `p99 ${p99}`);
    const other = new LatencyHistogram();
    for (let index = 0; index < 10_000; index += 1) other.record(5_000);
    other.mergeFrom(histogram);
    assert.equal(other.count, 20_000);
    assert.ok(Math.abs(other.quantile(0.99) - 5_000) / 5_000 < 0.011);
    assert.deepEqual(new LatencyHistogram().summary(), { p50: 0, p95: 0, p99: 0 });
  });
});

describe('argumentKey', () => {
  test('equal tuples share a key; different values or types do not', () => {
    assert.equal(argumentKey(['a']), argumentKey(['a']));
    assert.equal(argumentKey([1, 'x', null, [1, 2], { a: 1 }]), argumentKey([1, 'x', null, [1, 2], { a: 1 }]));
    const distinct = [[1], ['1'], [1n], [true], [null], [Number.NaN], [Number.POSITIVE_INFINITY], [new Uint8Array([1])], [new Map([[1, 2]])], [{ $bigint: '1' }], ['a', 'b'], ['a,b']];
    assert.equal(new Set(distinct.map((row) => argumentKey(row))).size, distinct.length);
  });
});
