import { LakefnError } from '../errors/index.ts';
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
