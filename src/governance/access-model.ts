import { LakefnError } from '../errors/index.ts';
import {
  BUILT_IN_ROLE_IDS, type GrantObjectKind, type GrantRecord, type PrincipalKind, type PrincipalRecord, type RoleGrantRecord,
} from '../spec/governance-records.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { PolicyModel } from './policy-model.ts';

/**
 * A principal as the authorization function sees it, resolved in the catalog (in the transaction that decides):
 * its id, every role it holds (transitively, PUBLIC included), the built-in roles that matter, and every grant it
 * holds directly or through a role.
 */
export interface ResolvedPrincipal {
  readonly authenticated: AuthenticatedPrincipal;
  /** As the audit and messages name it (`alice`, `local:root`, `role admin` for a role owner). */
  readonly name: string;
  /** The user or role row; null for the bootstrap super administrator. */
  readonly record: PrincipalRecord | null;
  /** Its own id (unless bootstrap) and every role it holds, transitively, with PUBLIC. */
  readonly ids: ReadonlySet<string>;
  /** The roles it holds, by name, sorted (PUBLIC included). */
  readonly roleNames: readonly string[];
  /** Bootstrap, or a member (transitively) of super_administrator: break-glass. */
  readonly superAdministrator: boolean;
  /** A member of admin (every privilege and GRANT, through the managed policies). */
  readonly admin: boolean;
  readonly auditor: boolean;
  readonly engine: boolean;
  /** Every grant held through `ids` (verified rows only: a damaged row grants nothing). */
  readonly grants: readonly GrantRecord[];
}

/** An object whose privileges are asked about. */
export interface SecuredObject {
  readonly kind: GrantObjectKind;
  readonly id: string;
  /** `project` for a project; `project.name` for a connection or function (messages and the audit). */
  readonly displayName: string;
  readonly ownerId: string;
}

/**
 * The principals and role graph of one catalog snapshot, with the helpers the authorization function and the
 * statements need. Loaded from one session (so everything it says is as of that transaction); grants are loaded per
 * principal on resolution.
 */
export class AccessModel {
  readonly #session: CatalogReadSession;
  readonly #principals = new Map<string, PrincipalRecord>();
  readonly #byName = new Map<string, PrincipalRecord>();
  /** member id → the roles it was granted directly. */
  readonly #rolesOf = new Map<string, Set<string>>();
  /** role id → its direct members. */
  readonly #membersOf = new Map<string, Set<string>>();
  readonly roleGrants: readonly RoleGrantRecord[];
  /** The policies, attachments, boundaries and project switches of the same catalog version, compiled. */
  readonly policies: PolicyModel;

  private constructor(session: CatalogReadSession, principals: readonly PrincipalRecord[], roleGrants: readonly RoleGrantRecord[], policies: PolicyModel) {
    this.#session = session;
    this.policies = policies;
    for (const principal of principals) {
      this.#principals.set(principal.id, principal);
      this.#byName.set(`${principal.kind}:${principal.name}`, principal);
    }
    // a membership naming a principal that does not exist (or failed its check) grants nothing
    this.roleGrants = roleGrants.filter((grant) => this.#principals.get(grant.roleId)?.kind === 'role' && this.#principals.has(grant.memberId));
    for (const grant of this.roleGrants) {
      addTo(this.#rolesOf, grant.memberId, grant.roleId);
      addTo(this.#membersOf, grant.roleId, grant.memberId);
    }
  }

  static async load(session: CatalogReadSession): Promise<AccessModel> {
    const principals = await session.governance.principals();
    const roleGrants = await session.governance.roleGrants();
    const byId = new Map(principals.map((principal) => [principal.id, principal]));
    const policies = await PolicyModel.of(await session.policies.state(), byId, () => session.governance.projects());
    return new AccessModel(session, principals, roleGrants, policies);
  }

  get session(): CatalogReadSession {
    return this.#session;
  }

  principal(kind: PrincipalKind, name: string): PrincipalRecord | undefined {
    return this.#byName.get(`${kind}:${name}`);
  }

  principalById(id: string): PrincipalRecord | undefined {
    return this.#principals.get(id);
  }

  principals(kind?: PrincipalKind): PrincipalRecord[] {
    return [...this.#principals.values()].filter((principal) => kind === undefined || principal.kind === kind).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  }

  /** `user alice`, `role analyst`, or the id when the principal is gone. */
  describe(id: string): string {
    const principal = this.#principals.get(id);
    return principal === undefined ? `(principal ${id})` : `${principal.kind} ${principal.name}`;
  }

  /** The roles a principal holds, transitively (not itself), with PUBLIC. */
  rolesHeldBy(id: string): Set<string> {
    const held = new Set<string>();
    const pending = [...(this.#rolesOf.get(id) ?? [])];
    while (pending.length > 0) {
      const role = pending.pop()!;
      if (held.has(role)) continue;
      held.add(role);
      for (const parent of this.#rolesOf.get(role) ?? []) pending.push(parent);
    }
    held.add(BUILT_IN_ROLE_IDS.public);
    held.delete(id);
    return held;
  }

  /** The direct members of a role. */
  membersOf(roleId: string): string[] {
    return [...(this.#membersOf.get(roleId) ?? [])];
  }

  /**
   * The cycle `GRANT ROLE role TO ROLE member` would close, or undefined: GRANT makes `member` a member of `role`, so a
   * cycle exists when `role` already holds `member` (transitively). Returned as role names, each a member of the next:
   * `[member, role, …, member]`. A role granted to itself is the shortest cycle.
   */
  cycleThrough(roleId: string, memberId: string): string[] | undefined {
    if (roleId === memberId) return [this.#name(roleId), this.#name(roleId)];
    const path = this.#memberPath(roleId, memberId);
    return path === undefined ? undefined : [this.#name(memberId), ...path.map((id) => this.#name(id))];
  }

  /** Whether `memberId` holds `roleId`, transitively. */
  holds(memberId: string, roleId: string): boolean {
    return this.rolesHeldBy(memberId).has(roleId);
  }

  /**
   * Resolves an authenticated principal in this snapshot. Throws E_ACCESS_DENIED when its user is gone, when `--as`
   * comes from anyone but the local super administrator, or when an on-behalf-of engine lacks the `engine` role.
   */
  async resolve(authenticated: AuthenticatedPrincipal): Promise<ResolvedPrincipal> {
    const actor = authenticated.actor;
    if (actor !== undefined) {
      const acting = await this.resolve(actor.principal);
      if (actor.relation === 'as' && !(actor.principal.subject.kind === 'bootstrap' && (actor.principal.method === 'local' || actor.principal.method === 'in-process'))) {
        throw new LakefnError('E_ACCESS_DENIED', `--as is only for the local super administrator; ${actor.principal.name} may not act as '${authenticated.name}'`);
      }
      if (actor.relation === 'on-behalf-of' && !acting.engine && !acting.superAdministrator) {
        throw new LakefnError(
          'E_ACCESS_DENIED',
          `${actor.principal.name} may not call on behalf of '${authenticated.name}': that needs the built-in role engine (GRANT ROLE engine TO USER ${actor.principal.name})`,
        );
      }
    }
    const subject = authenticated.subject;
    if (subject.kind === 'bootstrap') {
      const everyRole = [...this.#principals.values()].filter((principal) => principal.kind === 'role' && principal.builtIn).map((principal) => principal.id);
      const ids = new Set<string>(everyRole);
      return this.#resolved(authenticated, authenticated.name, null, ids, true, await this.#grantsFor(ids));
    }
    const record = this.principal('user', subject.name);
    if (record === undefined) {
      throw new LakefnError('E_ACCESS_DENIED', `user '${subject.name}' does not exist (any more) in this catalog; nothing is allowed for it`, { data: { principal: subject.name } });
    }
    return this.resolveId(record.id, authenticated);
  }

  /** A user or role by id (a function owner, for definer rights), with its roles and grants. */
  async resolveId(id: string, authenticated?: AuthenticatedPrincipal): Promise<ResolvedPrincipal> {
    const record = this.#principals.get(id);
    if (record === undefined) throw new LakefnError('E_ACCESS_DENIED', `principal ${id} does not exist (any more) in this catalog`);
    const ids = this.rolesHeldBy(id);
    ids.add(id);
    const name = record.kind === 'user' ? record.name : `role ${record.name}`;
    const subject: AuthenticatedPrincipal = authenticated ?? { subject: { kind: 'user', name: record.name }, name, method: 'in-process' };
    return this.#resolved(subject, authenticated?.name ?? name, record, ids, ids.has(BUILT_IN_ROLE_IDS.super_administrator), await this.#grantsFor(ids));
  }

  #resolved(authenticated: AuthenticatedPrincipal, name: string, record: PrincipalRecord | null, ids: Set<string>, superAdministrator: boolean, grants: readonly GrantRecord[]): ResolvedPrincipal {
    const roleNames = [...ids].filter((id) => id !== record?.id).map((id) => this.#principals.get(id)?.name ?? id).sort();
    return {
      authenticated,
      name,
      record,
      ids,
      roleNames,
      superAdministrator,
      admin: superAdministrator || ids.has(BUILT_IN_ROLE_IDS.admin),
      auditor: ids.has(BUILT_IN_ROLE_IDS.auditor),
      engine: ids.has(BUILT_IN_ROLE_IDS.engine),
      grants,
    };
  }

  async #grantsFor(ids: ReadonlySet<string>): Promise<GrantRecord[]> {
    return this.#session.governance.grantsTo([...ids]);
  }

  #name(id: string): string {
    return this.#principals.get(id)?.name ?? id;
  }

  /** A path of roles from `from` up to `to` through "is a member of" edges (from, …, to), or undefined. */
  #memberPath(from: string, to: string): string[] | undefined {
    const previous = new Map<string, string>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (current === to) {
        const path = [current];
        let step = current;
        while (previous.has(step)) {
          step = previous.get(step)!;
          path.unshift(step);
        }
        return path;
      }
      for (const parent of this.#rolesOf.get(current) ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        previous.set(parent, current);
        queue.push(parent);
      }
    }
    return undefined;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}
