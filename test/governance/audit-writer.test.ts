// The call audit writer: records queue off the hot path, are written in batches, are flushed on close; a record that
// cannot be written (queue full, store failing, writer closed) is counted and logged whole, never dropped silently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { AuditWriter } from '../../src/governance/audit-writer.ts';
import type { AuditEvent } from '../../src/store/audit-log.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { ServeMetrics } from '../../src/serve/serve-metrics.ts';

/** A store whose write appends to `written`, or fails while `failing` is set. */
function fakeStore(): { store: CatalogStore; written: AuditEvent[][]; failing: { value: boolean } } {
  const written: AuditEvent[][] = [];
  const failing = { value: false };
  const store = {
    write: async (work: (session: unknown) => Promise<unknown>) => {
      if (failing.value) throw new LakefnError('E_STORE', 'the store is unreachable');
      return work({ audit: { append: async (events: AuditEvent[]) => void written.push([...events]) } });
    },
  } as unknown as CatalogStore;
  return { store, written, failing };
}

const event = (n: number): AuditEvent => ({ type: 'INVOKE_SUMMARY', principal: 'carol', project: 'default', body: { n } });

describe('AuditWriter', () => {
  it('writes queued records in batches when flushed, and on close', async () => {
    const { store, written } = fakeStore();
    const writer = new AuditWriter(store, { batchSize: 3, flushIntervalMs: 60_000, log: () => assert.fail('nothing is lost') });
    for (let n = 0; n < 7; n += 1) writer.enqueue(event(n));
    await writer.flush();
    assert.deepEqual(written.map((batch) => batch.length), [3, 3, 1]);
    writer.enqueue(event(7));
    assert.equal(writer.stats().queued, 1);
    await writer.close();
    assert.deepEqual(writer.stats(), { written: 8, failed: 0, queued: 0 });
  });

  it('counts and logs (with the record) what it cannot write: a full queue, a failing store, a closed writer', async () => {
    const { store, failing } = fakeStore();
    const lines: string[] = [];
    const writer = new AuditWriter(store, { capacity: 2, batchSize: 100, flushIntervalMs: 60_000, log: (line) => lines.push(line) });
    writer.enqueue(event(1));
    writer.enqueue(event(2));
    writer.enqueue(event(3));
    assert.equal(writer.stats().failed, 1);
    assert.match(lines[0] ?? '', /^lakefn: audit record not written \(the audit queue is full \(2 records waiting\)\): \{"type":"INVOKE_SUMMARY","principal":"carol","project":"default","body":\{"n":3\}\}$/);
    failing.value = true;
    await writer.flush();
    assert.deepEqual(writer.stats(), { written: 0, failed: 3, queued: 0 });
    assert.match(lines[1] ?? '', /not written \(the store is unreachable\): .*"n":1/);
    failing.value = false;
    await writer.close();
    writer.enqueue(event(4));
    assert.equal(writer.stats().failed, 4);
    assert.match(lines[3] ?? '', /not written \(the audit writer is closed\): .*"n":4/);
  });

  it('its counters are in /metrics', async () => {
    const { store, failing } = fakeStore();
    const writer = new AuditWriter(store, { flushIntervalMs: 60_000, log: () => undefined });
    writer.enqueue(event(1));
    await writer.flush();
    failing.value = true;
    writer.enqueue(event(2));
    await writer.flush();
    writer.enqueue(event(3));
    const metrics = new ServeMetrics({ on: () => () => undefined, stats: () => { throw new Error('unused'); }, auditStats: () => writer.stats() });
    const text = await metrics.registry.metrics();
    assert.match(text, /^lakefn_audit_records_written_total 1$/m);
    assert.match(text, /^lakefn_audit_records_failed_total 1$/m);
    assert.match(text, /^lakefn_audit_records_queued 1$/m);
    metrics.close();
    await writer.close();
  });
});
