import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { BridgeReply, BridgeRequest } from './duckdb-worker-protocol.ts';

/** Longest single Atomics.wait; a bound, not a poll interval (wakeups come from Atomics.notify). */
const WAIT_SLICE_MS = 1000;

/**
 * The worker side of the synchronous bridge. DuckDB's scalar UDF callback must return synchronously (a Promise is
 * ignored, writing after an `await` crashes), so it posts the chunk to the main thread, blocks this worker thread
 * with `Atomics.wait`, and reads the reply with `receiveMessageOnPort`, which needs no event loop.
 *
 * The shared cell is a counter, not a flag: the reader samples it before checking the port and waits only while
 * it is unchanged, so a reply posted between the check and the wait is never missed. Replies carry the request
 * id; a late reply to a timed-out request is discarded.
 */
export class SyncBridgeClient {
  readonly #port: MessagePort;
  readonly #signal: Int32Array;
  readonly #timeoutMs: number;
  #nextId = 1;

  constructor(port: MessagePort, signal: SharedArrayBuffer, timeoutMs: number) {
    this.#port = port;
    this.#signal = new Int32Array(signal);
    this.#timeoutMs = timeoutMs;
  }

  /** Blocks until the main thread answers `request` (or throws after the timeout). */
  call(request: Omit<BridgeRequest, 'id'>): BridgeReply {
    const id = this.#nextId++;
    this.#port.postMessage({ ...request, id } satisfies BridgeRequest);
    const giveUpAt = Date.now() + this.#timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      const received = receiveMessageOnPort(this.#port) as { message: BridgeReply } | undefined;
      if (received !== undefined) {
        if (received.message.id === id) return received.message;
        continue;
      }
      const remaining = giveUpAt - Date.now();
      if (remaining <= 0) {
        throw new Error(`E_TIMEOUT: no answer from the dispatcher within ${this.#timeoutMs} ms (the main thread may be blocked or the query deadline too long)`);
      }
      Atomics.wait(this.#signal, 0, seen, Math.min(remaining, WAIT_SLICE_MS));
    }
  }
}
