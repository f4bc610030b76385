import { LatencyHistogram } from '../dispatcher/latency-histogram.ts';
import type { TableCell, TableResult } from '../sql/execute-result.ts';
import type { ShowFunctionHistoryStatement } from '../sql/statement.ts';
import type { AuditRecord, AuditValue } from '../store/audit-log.ts';
import { authorizeRequest, type PrivilegeQuestion } from './authorize-request.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { functionResource, projectResource } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * SHOW FUNCTION HISTORY [FOR f] [SINCE T] [BY HOUR | DAY]: per function and time bucket, rolled up from the
 * INVOKE_SUMMARY records of the audit log (the shape of Snowflake's EXTERNAL_FUNCTIONS_HISTORY): invocations, rows,
 * bytes, errors, retries, average and p99 latency (per remote attempt, merged from each summary's histogram). Retried
 * attempts are included in bytes and latency, and the output says so. Visible to the function's owner, to holders of
 * MONITOR on the project, and to `auditor` (and administrators).
 */

const DEFAULT_WINDOW_MS = 24 * 3600 * 1000;
const PAGE = 1000;
const COLUMNS = ['function', 'bucket_start', 'invocations', 'rows', 'bytes_sent', 'bytes_received', 'errors', 'retries', 'avg_latency_ms', 'p99_latency_ms'];

interface Bucket {
  invocations: number;
  rows: number;
  bytesSent: number;
  bytesReceived: number;
  errors: number;
  retries: number;
  readonly latency: LatencyHistogram;
}

export async function showFunctionHistoryGoverned(context: StatementContext, statement: ShowFunctionHistoryStatement): Promise<HandlerOutcome> {
  const since = statement.since ?? new Date(Date.now() - DEFAULT_WINDOW_MS).toISOString();
  let project;
  let only: string | undefined;
  let question: PrivilegeQuestion;
  if (statement.name !== null) {
    const resolved = await context.function(statement.name, statement.project, 'lakefn:ReadFunctionHistory');
    project = resolved.project;
    only = resolved.placed.record.name;
    question = { kind: 'any', alternatives: [
      { kind: 'object', object: resolved.secured, accepted: [], ownership: true },
      { kind: 'object', object: context.projectObject(project), accepted: ['MONITOR'], ownership: true },
      { kind: 'role', roles: ['auditor'] },
    ] };
    context.require({ action: 'lakefn:ReadFunctionHistory', resource: functionResource(project.name, only), privilege: question }, project.name);
  } else {
    project = await context.project(statement.project);
    question = { kind: 'any', alternatives: [
      { kind: 'object', object: context.projectObject(project), accepted: ['MONITOR'], ownership: true },
      { kind: 'role', roles: ['auditor'] },
    ] };
  }
  // without FOR: the whole project with MONITOR (or auditor); otherwise the functions the principal owns
  // (a probe, not a refusal: it is not audited as a denial)
  const wholeProject = statement.name !== null || authorizeRequest(context.model, context.principal, { action: 'lakefn:ReadFunctionHistory', resource: projectResource(project.name), privilege: question }).allowed;
  const owned = wholeProject ? undefined : new Set((await context.session.placedFunctions(project.id)).filter((placed) => context.principal.ids.has(placed.ownerId)).map((placed) => placed.record.name));
  const buckets = new Map<string, Bucket>();
  for (let after = 0; ; ) {
    const page = await context.session.audit.list({ since, types: ['INVOKE_SUMMARY'], projects: [project.name] }, after, PAGE);
    for (const record of page) {
      const name = text(record.body['function']);
      if (name === undefined || (only !== undefined && name !== only) || (owned !== undefined && !owned.has(name))) continue;
      add(buckets, name, bucketStart(record, statement.bucket), record);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  const rows: TableCell[][] = [...buckets.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, bucket]) => {
      const [name, start] = key.split('\u0000') as [string, string];
      return [name, start, bucket.invocations, bucket.rows, bucket.bytesSent, bucket.bytesReceived, bucket.errors, bucket.retries, bucket.latency.mean(), bucket.latency.quantile(0.99)];
    });
  const notices = [
    `per ${statement.bucket} since ${since}; bytes, retries and latency include retried attempts (each retry re-sends its batch); rows count each input row once`,
    ...(owned === undefined ? [] : ["only the functions you own are shown (MONITOR on the project, or the auditor role, shows all)"]),
  ];
  const result: TableResult = { kind: 'table', statement: statement.kind, position: statement.position, notices, columns: COLUMNS, rows };
  return { result, project: project.name };
}

function add(buckets: Map<string, Bucket>, name: string, start: string, record: AuditRecord): void {
  const key = `${name}\u0000${start}`;
  let bucket = buckets.get(key);
  if (bucket === undefined) {
    bucket = { invocations: 0, rows: 0, bytesSent: 0, bytesReceived: 0, errors: 0, retries: 0, latency: new LatencyHistogram() };
    buckets.set(key, bucket);
  }
  const body = record.body;
  bucket.invocations += 1;
  bucket.rows += count(body['rows']);
  bucket.bytesSent += count(body['bytes_out']);
  bucket.bytesReceived += count(body['bytes_in']);
  bucket.errors += (body['status'] === 'ERROR' ? 1 : 0) + count(body['row_errors']);
  bucket.retries += count(body['retries']);
  const histogram = body['latency_histogram'];
  if (Array.isArray(histogram)) {
    bucket.latency.addSparseCounts(histogram.filter((pair): pair is [number, number] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'number' && typeof pair[1] === 'number'));
  }
}

/** The bucket a record falls in (by its start time): the hour or the day, as ISO-8601 UTC. */
function bucketStart(record: AuditRecord, bucket: 'hour' | 'day'): string {
  const started = text(record.body['ts_start']) ?? record.ts;
  return bucket === 'hour' ? `${started.slice(0, 13)}:00:00Z` : `${started.slice(0, 10)}T00:00:00Z`;
}

function count(value: AuditValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function text(value: AuditValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
