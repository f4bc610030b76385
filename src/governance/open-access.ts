import { LakefnError } from '../errors/index.ts';
import type { AuditEvent } from '../store/audit-log.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import { AccessModel, type ResolvedPrincipal } from './access-model.ts';
import { principalAuditFields, type AuthenticatedPrincipal } from './authenticated-principal.ts';

/**
 * Step 1 of every decision: the catalog's principals and roles as of this transaction, and the principal resolved in
 * them. A refusal here (a user that does not exist, `--as` from anyone but the local super administrator, an
 * on-behalf-of engine without the `engine` role) is E_ACCESS_DENIED, recorded in `denials` as an AUTHZ record.
 */
export async function openAccess(
  session: CatalogReadSession,
  principal: AuthenticatedPrincipal,
  project: string | null,
  action: string,
  denials: AuditEvent[],
): Promise<{ readonly model: AccessModel; readonly resolved: ResolvedPrincipal }> {
  const model = await AccessModel.load(session);
  try {
    return { model, resolved: await model.resolve(principal) };
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_ACCESS_DENIED') {
      denials.push({
        type: 'AUTHZ',
        principal: principal.name,
        project,
        body: { ...principalAuditFields(principal), action, resource: null, decision: 'DENY', break_glass: false, denied_at: 'authentication', reason: error.message },
      });
    }
    throw error;
  }
}
