// `lakefn invoke --server` sends rows in chunks and adds up the stats each chunk's reply carries: counters summed (retries
// per cause too), the concurrency limits and latency percentiles the largest any chunk saw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addStats, EMPTY_STATS } from '../../src/cli/remote/remote-invoke.ts';
import type { DispatchStats } from '../../src/dispatcher/dispatcher-types.ts';

const first: DispatchStats = {
  rows: 2000, batches: 4, bytesOut: 100, bytesIn: 200, attempts: 6, retries: 2, retriesByCause: { E_THROTTLED: 1, E_TRANSPORT: 1 }, throttles: 1, rowErrors: 3,
  nullSkipped: 5, dedupSaved: 7, failedBatches: 1, currentConcurrency: 8, connectionConcurrency: 16, latencyMs: { p50: 10, p95: 40, p99: 90 },
};
const second: DispatchStats = {
  rows: 500, batches: 1, bytesOut: 10, bytesIn: 20, attempts: 2, retries: 1, retriesByCause: { E_THROTTLED: 1, E_TIMEOUT: 0 }, throttles: 1, rowErrors: 0,
  nullSkipped: 1, dedupSaved: 0, failedBatches: 0, currentConcurrency: 4, connectionConcurrency: 32, latencyMs: { p50: 20, p95: 30, p99: 50 },
};

describe('invoke --server: the stats of several chunks as one', () => {
  it('the first chunk stands as it is', () => {
    assert.equal(addStats(undefined, first), first);
  });

  it('sums the counters and retries per cause; keeps the largest concurrency and percentiles', () => {
    assert.deepEqual(addStats(first, second), {
      rows: 2500, batches: 5, bytesOut: 110, bytesIn: 220, attempts: 8, retries: 3, retriesByCause: { E_THROTTLED: 2, E_TRANSPORT: 1, E_TIMEOUT: 0 }, throttles: 2,
      rowErrors: 3, nullSkipped: 6, dedupSaved: 7, failedBatches: 1, currentConcurrency: 8, connectionConcurrency: 32, latencyMs: { p50: 20, p95: 40, p99: 90 },
    });
    assert.deepEqual(first.retriesByCause, { E_THROTTLED: 1, E_TRANSPORT: 1 }, 'the inputs are not changed');
  });

  it('stats without a connection limit (hand-written ones) give none', () => {
    const { connectionConcurrency: _dropped, ...withoutLimit } = second;
    assert.equal('connectionConcurrency' in addStats(EMPTY_STATS, withoutLimit), false);
    assert.equal(addStats(EMPTY_STATS, first).connectionConcurrency, 16);
  });
});
