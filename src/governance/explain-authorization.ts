import { LakefnError } from '../errors/index.ts';
import type { AuthorizationExplanationResult } from '../sql/execute-result.ts';
import type { ExecuteOptions, ExecutionServices } from '../sql/execute-services.ts';
import type { ExplainAuthorizationStatement, Statement } from '../sql/statement.ts';
import type { AuditEvent } from '../store/audit-log.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { authorizeValidation, type HandlerOutcome } from './object-statements.ts';
import { openAccess } from './open-access.ts';
import { explainDecision, type AuthorizationDecision } from './policy/index.ts';
import { StatementContext } from './statement-context.ts';

/** Where a script is (see execute-governed-statement.ts). */
export interface ExplainScript {
  readonly project: string;
  readonly explicit: boolean;
}

/** Runs one statement's handler in a context (the executor's dispatch). */
export type StatementHandler = (context: StatementContext, statement: Statement, options: ExecuteOptions) => Promise<HandlerOutcome>;

/**
 * EXPLAIN AUTHORIZATION [FOR USER u] <statement>, like a cloud policy simulator: the statement's own handler runs, as
 * the caller or as `u`, in a write transaction that is always rolled back, with every authorization decision made in
 * explain mode (every step evaluated) and collected. Nothing the statement would change is kept and nothing is sent
 * anywhere (VALIDATE stops before the provider is asked). The caller must be allowed lakefn:ExplainAuthorization, and
 * explaining for another user needs what SHOW GRANTS TO that user needs (an auditor or administrator): the explanation
 * shows that user's roles, policies and grants.
 * Returns the result and the AUTHZ records of the caller's own decision (the simulated decisions are not audited as
 * requests: the ADMIN record of the EXPLAIN names the statement and the outcome).
 */
export async function explainAuthorization(
  store: CatalogStore,
  statement: ExplainAuthorizationStatement,
  principal: AuthenticatedPrincipal,
  services: ExecutionServices,
  options: ExecuteOptions,
  script: ExplainScript,
  denials: AuditEvent[],
  handle: StatementHandler,
): Promise<{ result: AuthorizationExplanationResult; allowed: AuditEvent[] }> {
  let outcome: { result: AuthorizationExplanationResult; allowed: AuditEvent[] } | undefined;
  // thrown to roll the transaction back; a LakefnError, so the stores pass it through unchanged (matched by identity)
  const rolledBack = new LakefnError('E_INTERNAL', 'EXPLAIN AUTHORIZATION rolls its transaction back');
  try {
    await store.write(async (session) => {
      const { model, resolved } = await openAccess(session, principal, script.project, 'lakefn:ExplainAuthorization', denials);
      const caller = new StatementContext({ session, model, principal: resolved, services, currentProject: script.project, explicitProject: script.explicit, denials });
      const forOther = statement.user !== null && statement.user !== resolved.record?.name;
      caller.require({
        action: 'lakefn:ExplainAuthorization',
        dependencies: forOther
          ? [{ as: 'caller', principal: resolved, request: { action: 'lakefn:ListGrants', privilege: { kind: 'role', roles: ['auditor'] } } }]
          : [],
      }, null, 'always');
      let target = resolved;
      if (forOther && statement.user !== null) {
        const record = caller.principalNamed({ kind: 'user', name: statement.user });
        const authenticated: AuthenticatedPrincipal = {
          subject: { kind: 'user', name: record.name },
          name: record.name,
          method: principal.method,
          ...(principal.sourceIp === undefined ? {} : { sourceIp: principal.sourceIp }),
        };
        target = await model.resolveId(record.id, authenticated);
      }
      const explained: AuthorizationDecision[] = [];
      const context = new StatementContext({
        session, model, principal: target, services, currentProject: script.project, explicitProject: script.explicit, denials: [], explained,
      });
      let wouldFail: { code: string; message: string } | null = null;
      try {
        const inner = statement.statement;
        if (inner.kind === 'validate-connection') await authorizeValidation(context, inner.name, inner.project);
        else await handle(context, inner, options);
      } catch (error) {
        if (!LakefnError.isInstance(error)) throw error;
        if (error.code !== 'E_ACCESS_DENIED' || explained.every((decision) => decision.allowed)) wouldFail = { code: error.code, message: error.message };
      }
      const allowed = explained.every((decision) => decision.allowed) && wouldFail?.code !== 'E_ACCESS_DENIED';
      outcome = { result: explanationResult(statement, target.name, explained, allowed, wouldFail), allowed: [...caller.allowed] };
      // the statement's changes are never kept
      throw rolledBack;
    });
  } catch (error) {
    if (error !== rolledBack) throw error;
  }
  if (outcome === undefined) throw new LakefnError('E_INTERNAL', 'EXPLAIN AUTHORIZATION ended without an explanation');
  return outcome;
}

function explanationResult(
  statement: ExplainAuthorizationStatement,
  principal: string,
  decisions: readonly AuthorizationDecision[],
  allowed: boolean,
  wouldFail: { code: string; message: string } | null,
): AuthorizationExplanationResult {
  const lines = [`EXPLAIN AUTHORIZATION for ${principal}: ${statement.statement.text}`, `decision: ${allowed ? 'ALLOW' : 'DENY'} (nothing was run)`];
  if (decisions.length === 0) lines.push('', 'no authorization decision was reached');
  for (const decision of decisions) lines.push('', ...explainDecision(decision));
  if (wouldFail !== null) lines.push('', `the statement would fail: ${wouldFail.message.startsWith(wouldFail.code) ? '' : `${wouldFail.code}: `}${wouldFail.message}`);
  return {
    kind: 'authorization-explanation',
    statement: statement.kind,
    position: statement.position,
    notices: [],
    explained: statement.statement.text,
    principal,
    allowed,
    decisions,
    lines,
    wouldFail,
  };
}
