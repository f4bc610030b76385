import { authorizeMetricsRead, listAuditRecords, pruneAuditLog, verifyAuditLog } from '../governance/audit-access.ts';
import type { AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import type { StatementResult } from '../sql/execute-result.ts';
import type { ExecutionServices } from '../sql/execute-services.ts';
import { LakefnError } from '../errors/index.ts';
import { executeStatement, executeStatements } from '../sql/execute-statement.ts';
import { parseStatements } from '../sql/parse-statements.ts';
import type { AuditFilter, AuditPrune, AuditRecord, AuditVerification } from '../store/audit-log.ts';

/**
 * What `lakefn serve` offers operators besides engine calls (`POST /v1/sql`, the audit routes): the same functions the
 * local CLI runs (`executeStatements`, `listAuditRecords`, …), as the request's authenticated principal. The CLI with
 * `--server` calls these routes, so its output and exit codes are the local ones.
 */
export interface AdminApi {
  /** `single`: one statement the CLI built from flags (run as the local CLI runs those: its errors carry no statement position). */
  executeSql(
    text: string,
    principal: AuthenticatedPrincipal,
    options: { readonly project?: string | undefined; readonly allowUnknownRegion: boolean; readonly single?: boolean },
    onResult: (result: StatementResult) => void,
  ): Promise<void>;
  listAudit(principal: AuthenticatedPrincipal, filter: AuditFilter, project: string | undefined, onRecord: (record: AuditRecord) => void): Promise<number>;
  verifyAudit(principal: AuthenticatedPrincipal): Promise<AuditVerification>;
  pruneAudit(principal: AuthenticatedPrincipal, before: string): Promise<AuditPrune>;
  /** Throws E_ACCESS_DENIED unless the principal may read `/metrics` (lakefn:ReadMetrics). */
  authorizeMetrics(principal: AuthenticatedPrincipal): Promise<void>;
}

/** The admin API over the statement services of a serve process (its store, its environment and config). */
export function createAdminApi(services: Omit<ExecutionServices, 'principal' | 'project'>): AdminApi {
  return {
    async executeSql(text, principal, options, onResult) {
      const scoped = { ...services, principal, ...(options.project === undefined ? {} : { project: options.project }) };
      if (options.single !== true) {
        await executeStatements(text, scoped, { allowUnknownRegion: options.allowUnknownRegion, onResult });
        return;
      }
      const statements = parseStatements(text, { allowUnknownRegion: options.allowUnknownRegion });
      const [statement] = statements;
      if (statement === undefined || statements.length > 1) throw new LakefnError('E_USAGE', `"single" requires exactly one statement, got ${statements.length}`);
      onResult(await executeStatement(statement, scoped, { allowUnknownRegion: options.allowUnknownRegion }));
    },
    listAudit: (principal, filter, project, onRecord) => listAuditRecords(services.store, principal, filter, project, onRecord),
    verifyAudit: (principal) => verifyAuditLog(services.store, principal),
    pruneAudit: (principal, before) => pruneAuditLog(services.store, principal, before, `POST /v1/audit/prune before=${before}`),
    authorizeMetrics: (principal) => authorizeMetricsRead(services.store, principal),
  };
}
