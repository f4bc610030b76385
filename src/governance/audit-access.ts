import type { AuditEvent, AuditFilter, AuditPrune, AuditRecord, AuditVerification } from '../store/audit-log.ts';
import type { CatalogReadSession, CatalogStore } from '../store/catalog-store.ts';
import type { ResolvedPrincipal } from './access-model.ts';
import { openAccess } from './open-access.ts';
import { adminEvent, authzEvent } from './audit-events.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { accessDenied, authorizeRequest, type GovernedRequest, type PrivilegeQuestion } from './authorize-request.ts';
import { ObjectResolver } from './object-resolver.ts';
import { projectResource, type AuthorizationDecision } from './policy/index.ts';

/**
 * `lakefn audit verify | list | prune` under the one authorization function: the whole log is for `auditor` (and
 * administrators); MONITOR on a project (or owning it) reads that project's records; pruning is for administrators and
 * is itself recorded (an ADMIN record in the prune's own transaction, carrying the anchor the chain now starts from).
 * Denials are recorded like every other.
 */

const AUDITORS: PrivilegeQuestion = { kind: 'role', roles: ['auditor'] };

export async function verifyAuditLog(store: CatalogStore, principal: AuthenticatedPrincipal): Promise<AuditVerification> {
  return guarded(store, principal, null, 'read', 'lakefn:VerifyAudit', async (session, access) => {
    access.require({ action: 'lakefn:VerifyAudit', privilege: AUDITORS });
    return session.audit.verify();
  });
}

/**
 * Hands every record matching `filter` to `onRecord`, in order, and returns how many. With `project` (a chosen
 * project) a principal without the auditor role reads that project's records if it holds MONITOR on it.
 */
export async function listAuditRecords(
  store: CatalogStore,
  principal: AuthenticatedPrincipal,
  filter: AuditFilter,
  project: string | undefined,
  onRecord: (record: AuditRecord) => void,
): Promise<number> {
  return guarded(store, principal, project ?? null, 'read', 'lakefn:ReadAudit', async (session, access) => {
    let scoped = filter;
    if (!access.decide({ action: 'lakefn:ReadAudit', privilege: AUDITORS }, false).allowed) {
      if (project === undefined) access.require({ action: 'lakefn:ReadAudit', privilege: AUDITORS });
      const resolver = access.resolver(session, project ?? 'default');
      const found = await resolver.project(project);
      access.require({
        action: 'lakefn:ReadAudit',
        resource: projectResource(found.name),
        privilege: { kind: 'any', alternatives: [{ kind: 'object', object: resolver.projectObject(found), accepted: ['MONITOR'], ownership: true }, AUDITORS] },
      });
      scoped = { ...filter, projects: [found.name] };
    }
    let count = 0;
    for (let after = 0; ; ) {
      const page = await session.audit.list(scoped, after);
      for (const record of page) onRecord(record);
      count += page.length;
      if (page.length === 0) break;
      after = page[page.length - 1]!.seq;
    }
    return count;
  });
}

/**
 * `GET /metrics` of `lakefn serve` as `principal`: the counters name every function, connection and provider called, so
 * reading them is `lakefn:ReadMetrics` (the API layer, then the data layer: the `auditor` role, administrators, or
 * LakefnDataReadOnlyAccess, e.g. attached to a Prometheus scraper's user). A denial is recorded.
 */
export async function authorizeMetricsRead(store: CatalogStore, principal: AuthenticatedPrincipal): Promise<void> {
  await guarded(store, principal, null, 'read', 'lakefn:ReadMetrics', async (_session, access) => {
    access.require({ action: 'lakefn:ReadMetrics', privilege: AUDITORS });
  });
}

/** Deletes the records before `before` (the chain stays verifiable) and records the prune, in one transaction. */
export async function pruneAuditLog(store: CatalogStore, principal: AuthenticatedPrincipal, before: string, commandLine: string): Promise<AuditPrune> {
  return guarded(store, principal, null, 'write', 'lakefn:PruneAudit', async (session, access) => {
    access.require({ action: 'lakefn:PruneAudit', privilege: { kind: 'administrators' } });
    const prune = await session.audit.prune(before);
    await session.audit.append([
      ...access.allowed,
      adminEvent(principal, {
        kind: 'audit-prune',
        text: commandLine,
        action: 'lakefn:PruneAudit',
        project: null,
        result: { pruned: prune.pruned, before, first_seq: prune.firstSeq, anchor_hash: prune.anchorHash },
      }),
    ]);
    return prune;
  });
}

/**
 * `lakefn store rotate-key` as `principal`: authorized first (administrators), then rotated, then recorded (the
 * rotation re-MACs the audit log in its own transaction, so its record follows in the next one).
 */
export async function rotateStoreKeyAudited<T extends object>(store: CatalogStore, principal: AuthenticatedPrincipal, rotate: () => Promise<T>, commandLine: string): Promise<T> {
  const allowed = await guarded(store, principal, null, 'read', 'lakefn:RotateStoreKey', async (_session, access) => {
    access.require({ action: 'lakefn:RotateStoreKey', privilege: { kind: 'administrators' } });
    return access.allowed;
  });
  const rotation = await rotate();
  await store.write((session) =>
    session.audit.append([...allowed, adminEvent(principal, { kind: 'store-rotate-key', text: commandLine, action: 'lakefn:RotateStoreKey', project: null, result: rotation })]),
  );
  return rotation;
}

interface AuditAccess {
  readonly principal: ResolvedPrincipal;
  readonly allowed: AuditEvent[];
  decide(request: GovernedRequest, record?: boolean): AuthorizationDecision;
  require(request: GovernedRequest): AuthorizationDecision;
  resolver(session: CatalogReadSession, project: string): ObjectResolver;
}

/** Runs `work` with the principal resolved and a recording `require`; denials are appended after the transaction. */
async function guarded<T>(
  store: CatalogStore,
  principal: AuthenticatedPrincipal,
  project: string | null,
  mode: 'read' | 'write',
  action: string,
  work: (session: CatalogReadSession, access: AuditAccess) => Promise<T>,
): Promise<T> {
  const denials: AuditEvent[] = [];
  const run = async (session: CatalogReadSession): Promise<T> => {
    const { model, resolved } = await openAccess(session, principal, project, action, denials);
    const allowed: AuditEvent[] = [];
    const access: AuditAccess = {
      principal: resolved,
      allowed,
      decide(request, record = true) {
        const decision = authorizeRequest(model, resolved, request);
        if (!decision.allowed && record) denials.push(authzEvent(principal, project, decision));
        if (decision.allowed && decision.breakGlass) allowed.push(authzEvent(principal, project, decision));
        return decision;
      },
      require(request) {
        const decision = access.decide(request);
        if (!decision.allowed) throw accessDenied(decision);
        return decision;
      },
      resolver: (inner, current) =>
        new ObjectResolver({
          session: inner, model, principal: resolved, currentProject: current, explicitProject: true,
          onDenied: (decision, where) => denials.push(authzEvent(principal, where, decision)),
        }),
    };
    return work(session, access);
  };
  try {
    return mode === 'read' ? await store.read(run) : await store.write(run);
  } finally {
    if (denials.length > 0) await store.write((session) => session.audit.append(denials)).catch(() => undefined);
  }
}
