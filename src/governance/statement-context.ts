import { LakefnError } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS, type PrincipalRecord, type ProjectRecord } from '../spec/governance-records.ts';
import type { ExecutionServices } from '../sql/execute-services.ts';
import type { PrincipalReference } from '../sql/statement.ts';
import type { AuditEvent } from '../store/audit-log.ts';
import type { CatalogWriteSession, ObjectScope } from '../store/catalog-store.ts';
import { SessionBoundStore } from '../store/session-bound-store.ts';
import type { AccessModel, ResolvedPrincipal } from './access-model.ts';
import { authzEvent } from './audit-events.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { accessDenied, authorizeRequest, type GovernedRequest } from './authorize-request.ts';
import { ObjectResolver } from './object-resolver.ts';
import type { AuthorizationDecision } from './policy/index.ts';

export type { ResolvedObject } from './object-resolver.ts';
export { noSuchProject } from './object-resolver.ts';

/**
 * Everything one governed statement works with, inside its write transaction: the session, the catalog snapshot of
 * principals and roles, the resolved principal, the current project (name resolution: ObjectResolver), and the audit
 * records to append.
 */
export class StatementContext extends ObjectResolver {
  declare readonly session: CatalogWriteSession;
  readonly services: ExecutionServices;
  /** AUTHZ records of decisions that allowed a change (committed with it). */
  readonly allowed: AuditEvent[] = [];
  /** AUTHZ records of denials (committed even when the statement fails: the caller appends them after the rollback). */
  readonly denials: AuditEvent[];
  /**
   * EXPLAIN AUTHORIZATION: every decision this context makes, in order, each with every step evaluated (the
   * statement runs in a transaction that is rolled back). Undefined for a statement that runs.
   */
  readonly explained: AuthorizationDecision[] | undefined;

  constructor(parts: {
    session: CatalogWriteSession;
    model: AccessModel;
    principal: ResolvedPrincipal;
    services: ExecutionServices;
    currentProject: string;
    explicitProject: boolean;
    denials: AuditEvent[];
    explained?: AuthorizationDecision[];
  }) {
    super({
      ...parts,
      onDenied: (decision, project) => {
        parts.explained?.push(decision);
        parts.denials.push(authzEvent(parts.principal.authenticated, project, decision));
      },
    });
    this.services = parts.services;
    this.denials = parts.denials;
    this.explained = parts.explained;
  }

  get authenticated(): AuthenticatedPrincipal {
    return this.principal.authenticated;
  }

  /** Who owns what this principal creates: its user, or super_administrator for the bootstrap administrator. */
  get creatorId(): string {
    return this.principal.record?.id ?? BUILT_IN_ROLE_IDS.super_administrator;
  }

  /** The authorization function, recording the decision: denials always, allows when `record` says so (changes). */
  decide(request: GovernedRequest, project: string | null, record: 'denials' | 'always' = 'denials'): AuthorizationDecision {
    const decision = authorizeRequest(this.model, this.principal, request, { explain: this.explained !== undefined });
    this.explained?.push(decision);
    if (!decision.allowed) this.denials.push(authzEvent(this.authenticated, project, decision));
    else if (record === 'always' || decision.breakGlass) this.allowed.push(authzEvent(this.authenticated, project, decision));
    return decision;
  }

  /** `decide`, throwing E_ACCESS_DENIED (naming the missing privilege and the object) on a denial. */
  require(request: GovernedRequest, project: string | null, record: 'denials' | 'always' = 'denials'): AuthorizationDecision {
    const decision = this.decide(request, project, record);
    if (!decision.allowed) throw accessDenied(decision);
    return decision;
  }

  /** A user or role named in a statement, or E_NO_SUCH_PRINCIPAL. */
  principalNamed(reference: PrincipalReference): PrincipalRecord {
    const record = this.model.principal(reference.kind, reference.name);
    if (record === undefined) {
      throw new LakefnError('E_NO_SUCH_PRINCIPAL', `${reference.kind} '${reference.name}' does not exist (SHOW ${reference.kind === 'user' ? 'USERS' : 'ROLES'} lists them)`, {
        data: { kind: reference.kind, name: reference.name },
      });
    }
    return record;
  }

  /** The statement services with the store bound to this transaction, names resolving in `project`, objects created by the principal. */
  servicesIn(project: ProjectRecord): ExecutionServices {
    const scope: ObjectScope = { projectId: project.id, ownerId: this.creatorId };
    return { ...this.services, store: new SessionBoundStore(this.session.inScope(scope), this.services.store) };
  }
}
