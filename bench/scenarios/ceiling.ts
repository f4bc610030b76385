import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { CompleteWireCodec } from '../../src/codec/create-wire-codec.ts';
import type { BatchContext } from '../../src/codec/wire-codec.ts';
import { measure, quantile, runPool } from '../support/measure.ts';
import { benchSupport, presignInvoke, type InvokeTarget, type PresignedRequest } from '../support/presigned-invoke.ts';

export interface ThroughputFigures {
  readonly rows: number;
  readonly invocations: number;
  readonly elapsedMs: number;
  readonly rowsPerSecond: number;
  readonly invocationsPerSecond: number;
  /** Client CPU (this process, user + system) per invocation, in microseconds. */
  readonly cpuMicrosPerInvocation: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CeilingInput {
  readonly target: InvokeTarget;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly codec: CompleteWireCodec;
  readonly rows: readonly (readonly unknown[])[];
  readonly batchRows: number;
  readonly concurrency: number;
  /** Batch contexts exactly as the dispatcher numbers them (`<query>:<function>:<n>`). */
  readonly batchContext: (index: number) => BatchContext;
}

/** Encodes the rows into the dispatcher's batches (same codec, same batch ids), then signs each request. */
export async function prepareCeiling(input: CeilingInput): Promise<PresignedRequest[]> {
  const { rows, batchRows, codec } = input;
  const requests: PresignedRequest[] = [];
  for (let start = 0, index = 0; start < rows.length; start += batchRows, index += 1) {
    const encoded = rows.slice(start, start + batchRows).map((row) => codec.encodeRow(row));
    requests.push(await presignInvoke(input.target, codec.encodeBatchFromEncodedRows(encoded, input.batchContext(index))));
  }
  return requests;
}

/**
 * The loopback ceiling: a bare undici pool POSTs the pre-encoded, pre-signed requests at the same concurrency, reads
 * each reply body and checks only that the call succeeded. Nothing else runs on the client.
 */
export async function runCeiling(input: CeilingInput, requests: readonly PresignedRequest[]): Promise<ThroughputFigures> {
  const pool = new Pool(input.origin, { connections: input.concurrency, keepAliveTimeout: 60_000 });
  const latencies = new Float64Array(requests.length);
  const failures: string[] = [];
  const support = benchSupport(input.target.provider);
  try {
    const run = await measure(() =>
      runPool(requests.length, input.concurrency, async (index) => {
        const request = requests[index]!;
        const startedAt = performance.now();
        const response = await pool.request({ method: 'POST', path: request.path, headers: request.headers, body: request.body });
        const body = Buffer.from(await response.body.arrayBuffer());
        latencies[index] = performance.now() - startedAt;
        const failed = support.replyFailed(response.statusCode, response.headers, body);
        if (failed && failures.length < 3) failures.push(`HTTP ${response.statusCode}: ${body.toString('utf8').slice(0, 300)}`);
      }),
    );
    if (failures.length > 0) throw new Error(`the ceiling client got failed invocations: ${failures.join(' | ')}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const seconds = run.elapsedMs / 1000;
    return {
      rows: input.rows.length,
      invocations: requests.length,
      elapsedMs: run.elapsedMs,
      rowsPerSecond: input.rows.length / seconds,
      invocationsPerSecond: requests.length / seconds,
      cpuMicrosPerInvocation: (run.cpuMs * 1000) / requests.length,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
    };
  } finally {
    await pool.close();
  }
}
