import type { MessagePort } from 'node:worker_threads';
import type { CallContext } from '../dispatcher/dispatcher-types.ts';
import { toLakefnError } from '../errors/index.ts';
import type { BridgeReply, BridgeRequest, SerializedError } from './duckdb-worker-protocol.ts';

export type EvaluateFunction = (functionName: string, rows: readonly (readonly unknown[])[], context: CallContext) => Promise<unknown[]>;

/**
 * The main-thread side of the synchronous bridge: evaluates each request with the async dispatcher and posts the
 * reply, then bumps the shared counter and notifies the blocked worker. Never blocks this thread.
 */
export function serveSyncBridge(port: MessagePort, signal: SharedArrayBuffer, evaluate: EvaluateFunction, contextFor: (queryId: number) => CallContext): void {
  const counter = new Int32Array(signal);
  port.on('message', (request: BridgeRequest) => {
    void answer(request).then((reply) => {
      port.postMessage(reply);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    });
  });

  async function answer(request: BridgeRequest): Promise<BridgeReply> {
    try {
      return { id: request.id, results: await evaluate(request.functionName, request.rows, contextFor(request.queryId)) };
    } catch (error) {
      return { id: request.id, error: serializeError(error) };
    }
  }
}

/** A LakefnError's JSON view, safe to post between threads (no cause chain: it may hold SDK internals). */
export function serializeError(error: unknown): SerializedError {
  return toLakefnError(error).toJSON() as unknown as SerializedError;
}
