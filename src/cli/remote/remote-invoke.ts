import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createValueDecoder } from '../../codec/value-decoders.ts';
import { createValueEncoder } from '../../codec/value-encoders.ts';
import { addDispatchCounters } from '../../dispatcher/add-dispatch-counters.ts';
import type { DispatchStats } from '../../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../../errors/index.ts';
import type { FunctionRecord } from '../../spec/function-record.ts';
import type { RemoteServer } from './remote-server.ts';

/**
 * `lakefn invoke --server`: the function's signature from `GET /v1/functions/{name}`, then the rows in chunks to
 * `POST /v1/functions/{name}/evaluate` (the server's dispatcher batches each chunk to the cloud as it would locally),
 * results back in input order. Stats are the sum of the chunks' (latency percentiles: the largest chunk's).
 */

/** Rows per request: enough to keep the server's dispatcher busy, small enough to stream a file of any size. */
const CHUNK_ROWS = 2_000;

const functionSchema = z.looseObject({ name: z.string(), arguments: z.array(z.looseObject({ name: z.string(), type: z.looseObject({ kind: z.string() }) })), returnType: z.looseObject({ kind: z.string() }) });
const statsSchema = z.looseObject({
  rows: z.number(), batches: z.number(), bytesOut: z.number(), bytesIn: z.number(), attempts: z.number(), retries: z.number(),
  retriesByCause: z.record(z.string(), z.number()), throttles: z.number(), rowErrors: z.number(), nullSkipped: z.number(), dedupSaved: z.number(),
  failedBatches: z.number(), currentConcurrency: z.number(), connectionConcurrency: z.number().optional(),
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
});
const replySchema = z.object({ results: z.array(z.unknown()), stats: statsSchema });

export async function describeRemotely(server: RemoteServer, name: string, project: string | undefined): Promise<FunctionRecord> {
  const query = project === undefined ? '' : `?project=${encodeURIComponent(project)}`;
  const answer = await server.call('GET', `/v1/functions/${encodeURIComponent(name)}${query}`);
  const parsed = z.object({ function: functionSchema }).safeParse(answer);
  if (!parsed.success) throw new LakefnError('E_REMOTE_PROTOCOL', `${server.url.origin}/v1/functions/${name} answered without a function; is --server a lakefn serve of this version?`);
  // the server's catalog record; the parts the codecs use were checked above, the codecs check each type as they compile it
  return parsed.data.function as unknown as FunctionRecord;
}

export interface RemoteCall {
  readonly project: string | undefined;
  readonly queryId: string | undefined;
  readonly user: string | undefined;
}

/** Evaluates `rows` on the server, a chunk at a time, handing each chunk's results to `onResults` in order. */
export async function evaluateRemotely(
  server: RemoteServer,
  fn: FunctionRecord,
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  call: RemoteCall,
  onResults: (results: readonly unknown[], stats: DispatchStats) => Promise<void>,
): Promise<void> {
  const encoders = fn.arguments.map((argument) => createValueEncoder(argument.type));
  const decode = createValueDecoder(fn.returnType, true);
  const queryId = call.queryId ?? `cli-${randomUUID()}`;
  const fields = [
    `"query_id":${JSON.stringify(queryId)}`,
    '"stats":true',
    ...(call.project === undefined ? [] : [`"project":${JSON.stringify(call.project)}`]),
    ...(call.user === undefined ? [] : [`"user":${JSON.stringify(call.user)}`]),
  ].join(',');
  const path = `/v1/functions/${encodeURIComponent(fn.name)}/evaluate`;
  let chunk: string[] = [];
  const send = async (): Promise<void> => {
    const answer = await server.callWithJson(path, `{"rows":[${chunk.join(',')}],${fields}}`);
    const parsed = replySchema.safeParse(answer);
    if (!parsed.success || parsed.data.results.length !== chunk.length) {
      throw new LakefnError('E_REMOTE_PROTOCOL', `${server.url.origin}${path} answered without one result per row; is --server a lakefn serve of this version?`, { location: { function: fn.name } });
    }
    chunk = [];
    await onResults(parsed.data.results.map((wire) => decode(wire)), parsed.data.stats as DispatchStats);
  };
  for await (const row of rows) {
    chunk.push(`[${row.map((value, column) => (encoders[column] as (value: unknown) => string)(value)).join(',')}]`);
    if (chunk.length >= CHUNK_ROWS) await send();
  }
  if (chunk.length > 0) await send();
}

/** The stats of several calls as one: counters summed, concurrency and latency percentiles the largest seen. */
export function addStats(total: DispatchStats | undefined, next: DispatchStats): DispatchStats {
  if (total === undefined) return next;
  return {
    ...addDispatchCounters(total, next),
    currentConcurrency: Math.max(total.currentConcurrency, next.currentConcurrency),
    ...(next.connectionConcurrency === undefined ? {} : { connectionConcurrency: Math.max(total.connectionConcurrency ?? 0, next.connectionConcurrency) }),
    latencyMs: { p50: Math.max(total.latencyMs.p50, next.latencyMs.p50), p95: Math.max(total.latencyMs.p95, next.latencyMs.p95), p99: Math.max(total.latencyMs.p99, next.latencyMs.p99) },
  };
}

export const EMPTY_STATS: DispatchStats = {
  rows: 0, batches: 0, bytesOut: 0, bytesIn: 0, attempts: 0, retries: 0, retriesByCause: {}, throttles: 0, rowErrors: 0, nullSkipped: 0, dedupSaved: 0,
  failedBatches: 0, currentConcurrency: 0, latencyMs: { p50: 0, p95: 0, p99: 0 },
};
