import { LakefnError, toLakefnError } from '../errors/index.ts';
import { recordValidation, runValidation } from '../sql/execute-connection-statement.ts';
import type { StatementResult } from '../sql/execute-result.ts';
import type { ExecuteOptions, ExecutionServices } from '../sql/execute-services.ts';
import type { Statement, ValidateConnectionStatement } from '../sql/statement.ts';
import type { AuditEvent } from '../store/audit-log.ts';
import type { CatalogStore, CatalogWriteSession } from '../store/catalog-store.ts';
import { adminEvent, auditValue, type PackageAuditFields } from './audit-events.ts';
import { localPrincipal, type AuthenticatedPrincipal } from './authenticated-principal.ts';
import { openAccess } from './open-access.ts';
import { showFunctionHistoryGoverned } from './function-history.ts';
import { grantOwnershipGoverned, grantPrivilegeGoverned, revokePrivilegeGoverned, showGrantsOnGoverned, showGrantsToGoverned } from './grant-statements.ts';
import {
  alterConnectionGoverned, authorizeValidation, createConnectionGoverned, createFunctionGoverned, describeConnectionGoverned, describeFunctionGoverned,
  dropConnectionGoverned, dropFunctionGoverned, rotateExternalIdGoverned, showConnectionsGoverned, showFunctionsGoverned, type HandlerOutcome,
} from './object-statements.ts';
import { createPrincipalGoverned, dropPrincipalGoverned, roleMembershipGoverned, showPrincipalsGoverned } from './principal-statements.ts';
import {
  createPackageGoverned, describePackageGoverned, dropPackageGoverned, packageFunctionGoverned, packageInstallationGoverned, packagePermissionGoverned,
  packageReadGrantGoverned, showPackagesGoverned,
} from './package-statements.ts';
import { createProjectGoverned, dropProjectGoverned, showProjectsGoverned, useProjectGoverned } from './project-statements.ts';
import { actionForStatement } from './statement-actions.ts';
import { addTokenGoverned, revokeTokenGoverned, setOidcSubjectGoverned, showTokensGoverned } from './token-statements.ts';
import { alterProjectGoverned, setBoundaryGoverned, showActionsGoverned, showBoundariesGoverned, unsetBoundaryGoverned } from './boundary-statements.ts';
import { explainAuthorization } from './explain-authorization.ts';
import { setLabelGoverned } from './label-statements.ts';
import { grantPackageOwnershipGoverned, showPackageGrantsGoverned } from './package-grant-statements.ts';
import { createPolicyGoverned, describePolicyGoverned, dropPolicyGoverned, policyAttachmentGoverned, showPoliciesGoverned } from './policy-statements.ts';
import { StatementContext } from './statement-context.ts';

/** Where a script is: its current project (USE PROJECT moves it), and whether it was chosen (then it must be visible). */
export interface ScriptState {
  project: string;
  explicit: boolean;
}

/** The script state a run starts with: the services' project (`--project`, LAKEFN_PROJECT), else `default`. */
export function initialScriptState(services: ExecutionServices): ScriptState {
  return services.project === undefined ? { project: 'default', explicit: false } : { project: services.project, explicit: true };
}

/**
 * Runs one statement under governance, in its own write transaction: the principal is resolved in the catalog, the
 * authorization function decides (invisible objects are missing), the statement's change is made, and its ADMIN
 * record (with the AUTHZ records of the grants and break-glass decisions it made) is appended in the same transaction:
 * no change without its record. When the statement fails, the transaction rolls back and the ADMIN record (with every
 * denial) is appended in a transaction of its own. VALIDATE asks the provider between two transactions (the write lock
 * is never held across a network call) and re-checks authorization in the second.
 */
export async function executeGovernedStatement(statement: Statement, services: ExecutionServices, options: ExecuteOptions, script: ScriptState): Promise<StatementResult> {
  const principal = services.principal ?? localPrincipal();
  const action = actionForStatement(statement.kind).name;
  const denials: AuditEvent[] = [];
  let project: string | null = script.project;
  let packageFields: PackageAuditFields | undefined;
  const record = (outcome: { result?: unknown; error?: LakefnError; before?: unknown }): AuditEvent =>
    adminEvent(principal, { kind: statement.kind, text: statement.text, action, project, package: packageFields, ...outcome });
  try {
    if (statement.kind === 'explain-authorization') {
      const explanation = await explainAuthorization(services.store, statement, principal, services, options, script, denials, handle);
      project = null;
      await services.store.write((session) => session.audit.append([...explanation.allowed, record({ result: summarize(explanation.result) })]));
      return explanation.result;
    }
    if (statement.kind === 'validate-connection') {
      return await validateGoverned(statement, services, principal, script, denials, (outcome) => {
        project = outcome.project;
        return record({ result: summarize(outcome.result) });
      });
    }
    return await services.store.write(async (session) => {
      const context = await openContext(session, principal, services, script, denials, action);
      const outcome = await handle(context, statement, options);
      project = outcome.project;
      packageFields = outcome.package;
      await session.audit.append([...context.allowed, record({ result: summarize(outcome.result), ...(outcome.before === undefined ? {} : { before: outcome.before }) })]);
      return outcome.result;
    });
  } catch (error) {
    await appendAfterFailure(services.store, [...denials, record({ error: toLakefnError(error) })]);
    throw error;
  }
}

async function openContext(
  session: CatalogWriteSession,
  principal: AuthenticatedPrincipal,
  services: ExecutionServices,
  script: ScriptState,
  denials: AuditEvent[],
  action: string,
): Promise<StatementContext> {
  const { model, resolved } = await openAccess(session, principal, script.project, action, denials);
  return new StatementContext({ session, model, principal: resolved, services, currentProject: script.project, explicitProject: script.explicit, denials });
}

async function handle(context: StatementContext, statement: Statement, options: ExecuteOptions): Promise<HandlerOutcome> {
  switch (statement.kind) {
    case 'create-connection':
      return createConnectionGoverned(context, statement);
    case 'describe-connection':
      return describeConnectionGoverned(context, statement);
    case 'show-connections':
      return showConnectionsGoverned(context, statement);
    case 'alter-connection-set':
      return alterConnectionGoverned(context, statement, options);
    case 'rotate-external-id':
      return rotateExternalIdGoverned(context, statement);
    case 'validate-connection':
      throw new LakefnError('E_INTERNAL', 'VALIDATE runs in two transactions (validateGoverned)');
    case 'drop-connection':
      return dropConnectionGoverned(context, statement);
    case 'create-function':
      return createFunctionGoverned(context, statement);
    case 'describe-function':
      return describeFunctionGoverned(context, statement);
    case 'show-functions':
      return showFunctionsGoverned(context, statement);
    case 'drop-function':
      return dropFunctionGoverned(context, statement);
    case 'create-project':
      return createProjectGoverned(context, statement);
    case 'drop-project':
      return dropProjectGoverned(context, statement);
    case 'show-projects':
      return showProjectsGoverned(context, statement);
    case 'use-project':
      return useProjectGoverned(context, statement);
    case 'create-user':
    case 'create-role':
      return createPrincipalGoverned(context, statement);
    case 'drop-user':
    case 'drop-role':
      return dropPrincipalGoverned(context, statement);
    case 'show-users':
    case 'show-roles':
      return showPrincipalsGoverned(context, statement);
    case 'grant-role':
    case 'revoke-role':
      return roleMembershipGoverned(context, statement);
    case 'grant-privilege':
      return grantPrivilegeGoverned(context, statement);
    case 'revoke-privilege':
      return revokePrivilegeGoverned(context, statement);
    case 'grant-ownership':
      return grantOwnershipGoverned(context, statement);
    case 'show-grants-on':
      return showGrantsOnGoverned(context, statement);
    case 'show-grants-to':
      return showGrantsToGoverned(context, statement);
    case 'show-function-history':
      return showFunctionHistoryGoverned(context, statement);
    case 'add-token':
      return addTokenGoverned(context, statement);
    case 'revoke-token':
      return revokeTokenGoverned(context, statement);
    case 'set-oidc-subject':
      return setOidcSubjectGoverned(context, statement);
    case 'show-tokens':
      return showTokensGoverned(context, statement);
    case 'create-policy':
      return createPolicyGoverned(context, statement);
    case 'attach-policy':
    case 'detach-policy':
      return policyAttachmentGoverned(context, statement);
    case 'show-policies':
      return showPoliciesGoverned(context, statement);
    case 'describe-policy':
      return describePolicyGoverned(context, statement);
    case 'drop-policy':
      return dropPolicyGoverned(context, statement);
    case 'set-boundary':
      return setBoundaryGoverned(context, statement);
    case 'unset-boundary':
      return unsetBoundaryGoverned(context, statement);
    case 'show-boundaries':
      return showBoundariesGoverned(context, statement);
    case 'alter-project':
      return alterProjectGoverned(context, statement);
    case 'show-actions':
      return showActionsGoverned(context, statement);
    case 'explain-authorization':
      throw new LakefnError('E_INTERNAL', 'EXPLAIN AUTHORIZATION runs in its own rolled-back transaction (explainAuthorization)');
    case 'create-package':
      return createPackageGoverned(context, statement);
    case 'drop-package':
      return dropPackageGoverned(context, statement);
    case 'add-package-function':
    case 'remove-package-function':
      return packageFunctionGoverned(context, statement);
    case 'allow-package-install':
    case 'disallow-package-install':
      return packagePermissionGoverned(context, statement);
    case 'show-packages':
      return showPackagesGoverned(context, statement);
    case 'describe-package':
      return describePackageGoverned(context, statement);
    case 'install-package':
    case 'uninstall-package':
      return packageInstallationGoverned(context, statement);
    case 'grant-package-read':
    case 'revoke-package-read':
      return packageReadGrantGoverned(context, statement);
    case 'set-label':
      return setLabelGoverned(context, statement);
    case 'show-package-grants':
      return showPackageGrantsGoverned(context, statement);
    case 'grant-package-ownership':
      return grantPackageOwnershipGoverned(context, statement);
  }
}

async function validateGoverned(
  statement: ValidateConnectionStatement,
  services: ExecutionServices,
  principal: AuthenticatedPrincipal,
  script: ScriptState,
  denials: AuditEvent[],
  record: (outcome: HandlerOutcome) => AuditEvent,
): Promise<StatementResult> {
  const action = 'lakefn:ValidateConnection';
  const first = await services.store.write(async (session) => {
    const resolved = await authorizeValidation(await openContext(session, principal, services, script, denials, action), statement.name, statement.project);
    return resolved.placed.record;
  });
  const outcome = await runValidation({ ...statement, name: first.name }, services, first);
  return services.store.write(async (session) => {
    const context = await openContext(session, principal, services, script, denials, action);
    const resolved = await authorizeValidation(context, statement.name, statement.project);
    if (resolved.placed.record.id !== first.id) {
      throw new LakefnError('E_STORE_CONFLICT', `connection '${statement.name}' was replaced while it was being validated; run VALIDATE again`, { location: { connection: statement.name } });
    }
    const result = await recordValidation({ ...statement, name: first.name }, context.servicesIn(resolved.project), first, outcome);
    await session.audit.append([...context.allowed, record({ result, project: resolved.project.name })]);
    return result;
  });
}

/** What an ADMIN record keeps of a result: a change in full (object descriptions hold no secrets), a listing's size. */
function summarize(result: StatementResult): unknown {
  switch (result.kind) {
    case 'change':
      return auditValue({
        outcome: result.outcome,
        object: result.object,
        name: result.name,
        message: result.message,
        notices: result.notices,
        connection: result.connection,
        function: result.function,
        dropped_functions: result.droppedFunctions,
      });
    case 'table':
      return { rows: result.rows.length };
    case 'connection-description':
    case 'function-description':
    case 'policy-description':
      return { described: result.description.name };
    case 'authorization-explanation':
      return { explained: result.explained, for: result.principal, allowed: result.allowed };
  }
}

/**
 * The records of a failed statement, after its rollback. When even this write fails (the store is gone, or the log
 * itself is damaged) the statement's own error is what the caller reports: it names the same failure.
 */
async function appendAfterFailure(store: CatalogStore, events: readonly AuditEvent[]): Promise<void> {
  try {
    await store.write((session) => session.audit.append(events));
  } catch {
    // see above
  }
}
