import { LakefnError } from '../errors/index.ts';
import type { AttemptReport, CallSummary } from '../dispatcher/dispatcher-types.ts';
import type { AuditEvent, AuditValue } from '../store/audit-log.ts';
import { explainDecision, formatResourceName, type AuthorizationDecision } from './policy/index.ts';
import { principalAuditFields, type AuthenticatedPrincipal } from './authenticated-principal.ts';

/**
 * Builders of the audit records (governance-security §6.9 fields where they apply). Records never hold secrets: lakefn
 * statements carry none today (the external ID is generated, never written), and string literals after a key word
 * that names one (SECRET, PASSWORD, TOKEN, …) are masked anyway, so a future statement cannot leak one by accident.
 */

const SECRET_LITERAL = /\b((?:secret|password|token|api_key|access_key|private_key)\w*\s*=?\s*)'(?:[^']|'')*'/gi;

/** The statement text with any literal that could hold a secret replaced by '***'. */
export function maskStatementText(text: string): string {
  return text.replace(SECRET_LITERAL, "$1'***'");
}

/** JSON-safe copy (decisions and results are plain data; this drops undefined and makes the type explicit). */
export function auditValue(value: unknown): AuditValue {
  // a promise would serialise as {} and lose what the record should hold
  if (value instanceof Promise) throw new LakefnError('E_INTERNAL', 'an audit record was given a promise instead of a value');
  return JSON.parse(JSON.stringify(value ?? null)) as AuditValue;
}

export interface StatementOutcome {
  readonly kind: string;
  readonly text: string;
  readonly action: string;
  /** The project the statement ran in (its current project). */
  readonly project: string | null;
  /** The result as data (the statement's JSON output), or the error. */
  readonly result?: unknown;
  readonly error?: LakefnError;
  /** The objects as they were before (ALTER, REPLACE, DROP, GRANT OWNERSHIP), secrets masked (they hold none). */
  readonly before?: unknown;
  /** A package statement's package and both projects. */
  readonly package?: PackageAuditFields | undefined;
}

/** The package a statement or call concerns, with the provider project and (when there is one) the consumer project. */
export interface PackageAuditFields {
  readonly package: string;
  readonly provider_project: string;
  readonly consumer_project?: string;
}

/** ADMIN: one per statement, committed with the change it describes (or, when it failed, after the rollback). */
export function adminEvent(principal: AuthenticatedPrincipal, outcome: StatementOutcome): AuditEvent {
  return {
    type: 'ADMIN',
    principal: principal.name,
    project: outcome.project,
    body: {
      ...principalAuditFields(principal),
      statement_kind: outcome.kind,
      statement: maskStatementText(outcome.text),
      action: outcome.action,
      status: outcome.error === undefined ? 'OK' : 'ERROR',
      ...(outcome.error === undefined ? {} : { error_code: outcome.error.code, error_message: truncate(outcome.error.message, 1024) }),
      ...(outcome.before === undefined ? {} : { before: auditValue(outcome.before) }),
      ...(outcome.package === undefined ? {} : { package: auditValue(outcome.package) }),
      ...(outcome.result === undefined ? {} : { after: auditValue(outcome.result) }),
    },
  };
}

/**
 * AUTHZ: every denial, every allowed grant, revoke or ownership change, and every break-glass allow of a change: the
 * action, the resource, the decision and what matched at each step (the trace EXPLAIN AUTHORIZATION prints).
 */
export function authzEvent(principal: AuthenticatedPrincipal, project: string | null, decision: AuthorizationDecision, details: { readonly [key: string]: AuditValue } = {}): AuditEvent {
  return {
    type: 'AUTHZ',
    principal: principal.name,
    project,
    body: {
      ...principalAuditFields(principal),
      action: decision.action,
      resource: decision.resource === undefined ? null : formatResourceName(decision.resource),
      decision: decision.allowed ? 'ALLOW' : 'DENY',
      break_glass: decision.breakGlass,
      denied_at: decision.deniedAt ?? null,
      reason: decision.reason,
      roles: [...decision.roles],
      trace: explainDecision(decision),
      ...details,
    },
  };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** What an invocation record says about the call's place: function, owner, connection (§6.9 fields). */
export interface InvocationFacts {
  readonly principal: AuthenticatedPrincipal;
  readonly project: string;
  readonly function: string;
  readonly functionId: string;
  readonly owner: string;
  readonly connection: string;
  readonly connectionProject: string;
  readonly connectionId: string;
  readonly connectionVersion: number;
  readonly provider: string;
  readonly region: string;
  readonly roleArn: string;
  /** The first 12 hex digits of SHA-256 of the external ID (correlates with trust policies without revealing it). */
  readonly externalIdFingerprint: string;
  readonly remoteFunction: string;
  /** The decision that allowed the call (break-glass calls are recorded here: always audited). */
  readonly authz: { readonly action: string; readonly resource: string; readonly decision: 'ALLOW'; readonly breakGlass: boolean; readonly matched: readonly string[] };
  /** Set for a call through an installed package: the package, the provider project and the consumer project. */
  readonly viaPackage?: PackageAuditFields | undefined;
}

function invocationBody(facts: InvocationFacts): { readonly [key: string]: AuditValue } {
  return {
    ...principalAuditFields(facts.principal),
    function: facts.function,
    function_fqn: `${facts.project}.${facts.function}`,
    function_id: facts.functionId,
    owner_principal: facts.owner,
    connection_name: `${facts.connectionProject}.${facts.connection}`,
    connection_id: facts.connectionId,
    connection_version: facts.connectionVersion,
    provider: facts.provider,
    region: facts.region,
    role_arn: facts.roleArn,
    external_id_fpr: facts.externalIdFingerprint,
    remote_function_ref: facts.remoteFunction,
    authz: auditValue(facts.authz),
    ...(facts.viaPackage === undefined ? {} : { via_package: auditValue(facts.viaPackage) }),
  };
}

/** INVOKE_SUMMARY: one per call (query and function): the counters, latencies and a sample of remote request ids. */
export function invokeSummaryEvent(facts: InvocationFacts, summary: CallSummary): AuditEvent {
  const { stats, failure } = summary;
  return {
    type: 'INVOKE_SUMMARY',
    principal: facts.principal.name,
    project: facts.project,
    ts: new Date(summary.endedAt).toISOString(),
    body: {
      ...invocationBody(facts),
      query_id: summary.queryId,
      ts_start: new Date(summary.startedAt).toISOString(),
      ts_end: new Date(summary.endedAt).toISOString(),
      status: failure === undefined ? 'OK' : failure.code === 'E_CANCELLED' ? 'CANCELLED' : 'ERROR',
      ...(failure === undefined ? {} : { error_code: failure.code, error_message: truncate(failure.message, 1024) }),
      rows: stats.rows,
      batches: stats.batches,
      failed_batches: stats.failedBatches,
      bytes_out: stats.bytesOut,
      bytes_in: stats.bytesIn,
      attempts: stats.attempts,
      retries: stats.retries,
      retries_by_cause: auditValue(stats.retriesByCause),
      throttles: stats.throttles,
      row_errors: stats.rowErrors,
      latency_ms: { p50: stats.latencyMs.p50, p99: stats.latencyMs.p99 },
      latency_histogram: auditValue(summary.latencyHistogram),
      remote_request_ids: [...summary.requestIds],
    },
  };
}

/** INVOKE_ATTEMPT: one per remote attempt, when the function's audit_level is 'attempt'. */
export function invokeAttemptEvent(facts: InvocationFacts, attempt: AttemptReport): AuditEvent {
  return {
    type: 'INVOKE_ATTEMPT',
    principal: facts.principal.name,
    project: facts.project,
    body: {
      ...invocationBody(facts),
      query_id: attempt.queryId,
      batch_id: attempt.batchId,
      attempt: attempt.attempt,
      status: attempt.status,
      latency_ms_total: attempt.latencyMs,
      bytes_out: attempt.bytesOut,
      bytes_in: attempt.bytesIn,
      ...(attempt.errorCode === undefined ? {} : { error_code: attempt.errorCode }),
      ...(attempt.httpStatus === undefined ? {} : { http_status: attempt.httpStatus }),
      ...(attempt.requestId === undefined ? {} : { remote_request_id: attempt.requestId }),
    },
  };
}
