import { BUILT_IN_ROLE_IDS, type PrincipalRecord, type ProjectRecord } from '../spec/governance-records.ts';
import type { BoundaryRecord, PolicyRecord } from '../spec/policy-records.ts';
import type { PolicyState } from '../store/sql-policy-session.ts';
import {
  compilePolicy, isManagedPolicyName, MANAGED_POLICIES, type AttachedPolicy, type CompiledPolicy, type PolicyAttachment,
} from './policy/index.ts';

/**
 * The policies of one catalog version, compiled once and shared by every decision at that version: the store keeps the
 * PolicyState while its version counter stands, and this model is kept per PolicyState object, so a change (which
 * moves the counter) compiles again and nothing stale is ever used.
 *
 * What it answers for the authorization function:
 * - the policies attached to a principal and to each role it holds (transitively, PUBLIC included), plus the managed
 *   LakefnFullAccess and LakefnDataFullAccess that membership in `admin` implies;
 * - the boundaries that apply to a request: its project's, the principal's and each of its roles';
 * - a project's OBJECT_PRIVILEGES switch.
 * A reference that does not resolve (an attachment or boundary naming a policy whose row is gone or failed its
 * integrity check) fails closed: it stands for a policy that denies everything, named so the trace says why.
 */
export class PolicyModel {
  readonly state: PolicyState;
  /** Whether any policy in use has a lakefn:CurrentTime condition (a decision may change without a catalog change). */
  readonly timeDependent: boolean;
  readonly #compiled = new Map<string, CompiledPolicy>();
  readonly #attachedTo = new Map<string, AttachedPolicy[]>();
  readonly #principalBoundaries = new Map<string, AttachedPolicy>();
  readonly #projectBoundaries = new Map<string, AttachedPolicy>();
  readonly #objectPrivilegesOff = new Set<string>();
  readonly #forPrincipal = new WeakMap<object, readonly AttachedPolicy[]>();
  readonly #boundariesOf = new WeakMap<object, Map<string | undefined, readonly AttachedPolicy[]>>();

  private constructor(state: PolicyState, principals: ReadonlyMap<string, PrincipalRecord>, projects: readonly ProjectRecord[]) {
    this.state = state;
    for (const record of state.policies) this.#compiled.set(record.name, compileStored(record));
    const projectsById = new Map(projects.map((project) => [project.id, project]));
    for (const attachment of state.attachments) {
      const principal = principals.get(attachment.principalId);
      if (principal === undefined) continue;
      const list = this.#attachedTo.get(principal.id) ?? [];
      list.push({ policy: this.compiled(attachment.policyName), attachedTo: attachmentOf(principal) });
      this.#attachedTo.set(principal.id, list);
    }
    for (const boundary of state.boundaries) this.#addBoundary(boundary, principals, projectsById);
    for (const setting of state.settings) {
      const project = projectsById.get(setting.projectId);
      if (project !== undefined && !setting.objectPrivileges) this.#objectPrivilegesOff.add(project.name);
    }
    let timeDependent = false;
    for (const policy of this.#compiled.values()) if (usesCurrentTime(policy)) timeDependent = true;
    this.timeDependent = timeDependent;
  }

  /** The model of a state (compiled once per state object). */
  static async of(state: PolicyState, principals: ReadonlyMap<string, PrincipalRecord>, projects: () => Promise<readonly ProjectRecord[]>): Promise<PolicyModel> {
    let model = MODELS.get(state);
    if (model === undefined) {
      model = new PolicyModel(state, principals, await projects());
      MODELS.set(state, model);
    }
    return model;
  }

  /** A policy by name: managed, own, or (a dangling reference) the deny-everything stand-in. */
  compiled(name: string): CompiledPolicy {
    if (isManagedPolicyName(name)) return MANAGED_POLICIES[name].compiled;
    let policy = this.#compiled.get(name);
    if (policy === undefined) {
      policy = unresolved(name);
      this.#compiled.set(name, policy);
    }
    return policy;
  }

  /** Whether the policy exists (managed, or a verified row). */
  has(name: string): boolean {
    return isManagedPolicyName(name) || this.state.policies.some((policy) => policy.name === name);
  }

  /** The policies attached directly to one user or role. */
  attachedDirectly(principalId: string): readonly AttachedPolicy[] {
    return this.#attachedTo.get(principalId) ?? NONE;
  }

  /**
   * Every policy that applies to a principal: attached to it or to one of `ids` (its roles, transitively), and
   * admin's implied managed policies. Kept per resolved principal (`ids` is its set: one object per resolution).
   */
  policiesFor(ids: ReadonlySet<string>, admin: boolean): readonly AttachedPolicy[] {
    let policies = this.#forPrincipal.get(ids);
    if (policies === undefined) {
      const list: AttachedPolicy[] = [];
      for (const id of ids) list.push(...this.attachedDirectly(id));
      if (admin) list.push(...ADMIN_POLICIES);
      policies = list;
      this.#forPrincipal.set(ids, policies);
    }
    return policies;
  }

  /**
   * The boundaries that apply: the project's (when the request names one), and those of the principal and its roles.
   * Kept per resolved principal and project.
   */
  boundariesFor(ids: ReadonlySet<string>, project: string | undefined): readonly AttachedPolicy[] {
    let byProject = this.#boundariesOf.get(ids);
    if (byProject === undefined) this.#boundariesOf.set(ids, (byProject = new Map<string | undefined, readonly AttachedPolicy[]>()));
    let boundaries = byProject.get(project);
    if (boundaries === undefined) byProject.set(project, (boundaries = this.#boundariesFor(ids, project)));
    return boundaries;
  }

  #boundariesFor(ids: ReadonlySet<string>, project: string | undefined): readonly AttachedPolicy[] {
    let found: AttachedPolicy[] | undefined;
    if (project !== undefined) {
      const boundary = this.#projectBoundaries.get(project);
      if (boundary !== undefined) (found ??= []).push(boundary);
    }
    if (this.#principalBoundaries.size > 0) {
      for (const id of ids) {
        const boundary = this.#principalBoundaries.get(id);
        if (boundary !== undefined) (found ??= []).push(boundary);
      }
    }
    return found ?? NONE;
  }

  /** The project's OBJECT_PRIVILEGES switch (ON unless set OFF). */
  objectPrivilegesEnabled(project: string | undefined): boolean {
    return project === undefined || !this.#objectPrivilegesOff.has(project);
  }

  #addBoundary(boundary: BoundaryRecord, principals: ReadonlyMap<string, PrincipalRecord>, projects: ReadonlyMap<string, ProjectRecord>): void {
    if (boundary.targetKind === 'project') {
      const project = projects.get(boundary.targetId);
      if (project !== undefined) this.#projectBoundaries.set(project.name, { policy: this.compiled(boundary.policyName), attachedTo: { kind: 'project', name: project.name } });
      return;
    }
    const principal = principals.get(boundary.targetId);
    if (principal !== undefined && principal.kind === boundary.targetKind) {
      this.#principalBoundaries.set(principal.id, { policy: this.compiled(boundary.policyName), attachedTo: attachmentOf(principal) });
    }
  }
}

const MODELS = new WeakMap<PolicyState, PolicyModel>();
const NONE: readonly AttachedPolicy[] = Object.freeze([]);

/** What membership in `admin` implies (issue 12): the managed full-access policies of both layers. */
const ADMIN_POLICIES: readonly AttachedPolicy[] = [
  { policy: MANAGED_POLICIES.LakefnFullAccess.compiled, attachedTo: { kind: 'role', name: 'admin' } },
  { policy: MANAGED_POLICIES.LakefnDataFullAccess.compiled, attachedTo: { kind: 'role', name: 'admin' } },
];

function attachmentOf(principal: PrincipalRecord): PolicyAttachment {
  return { kind: principal.kind, name: principal.id === BUILT_IN_ROLE_IDS.public ? 'PUBLIC' : principal.name };
}

/** A stored policy, compiled (the decoder validated it already; a document that no longer compiles denies everything). */
function compileStored(record: PolicyRecord): CompiledPolicy {
  try {
    return compilePolicy(record.name, record.document, 'api');
  } catch {
    return unresolved(record.name);
  }
}

const DENY_EVERYTHING = JSON.stringify({
  Version: '1',
  Statement: [{ Sid: 'UnresolvedPolicyDeniesEverything', Effect: 'Deny', Action: ['lakefn:*'], Resource: ['*'] }],
});

/** The stand-in for a policy that cannot be used: fail closed. */
function unresolved(name: string): CompiledPolicy {
  return compilePolicy(`${name} (missing or damaged: denies everything)`, DENY_EVERYTHING, 'api');
}

function usesCurrentTime(policy: CompiledPolicy): boolean {
  return policy.statements.some((statement) => statement.conditions.some((condition) => condition.key === 'lakefn:CurrentTime'));
}
