import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { GrantObjectKind, Placed, ProjectRecord } from '../spec/governance-records.ts';
import type { ObjectReference } from '../sql/statement.ts';
import { noSuchConnection, noSuchFunction } from '../store/catalog-errors.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import type { AccessModel, ResolvedPrincipal, SecuredObject } from './access-model.ts';
import { authorizeRequest, type GovernedRequest } from './authorize-request.ts';
import { packageRoutesTo, readableRoute, type PackageRoute } from './package-routes.ts';
import { connectionResource, functionResource, projectResource, type AuthorizationDecision, type ResourceName } from './policy/index.ts';

/** A connection or function resolved from a (possibly project-qualified) name, with its project. */
export interface ResolvedObject<T> {
  readonly project: ProjectRecord;
  readonly placed: Placed<T>;
  readonly secured: SecuredObject;
  readonly resource: ResourceName;
  /**
   * Set when a function of another project is reached through packages installed in the current project (and not
   * directly): the routes the principal holds READ on. The data layer accepts them for EXECUTE only.
   */
  readonly viaPackage?: readonly PackageRoute[];
}

export interface ObjectResolverParts {
  readonly session: CatalogReadSession;
  readonly model: AccessModel;
  readonly principal: ResolvedPrincipal;
  /** The current project's name (USE PROJECT, --project, LAKEFN_PROJECT, else `default`). */
  readonly currentProject: string;
  /** Whether the current project was chosen (then it must be visible, like any project named explicitly). */
  readonly explicitProject: boolean;
  /** Receives every denial this resolver decides (an object that exists but is not visible). */
  readonly onDenied: (decision: AuthorizationDecision, project: string | null) => void;
}

/**
 * Name resolution under governance, for statements and calls alike: projects, connections and functions by
 * (qualified) name, and what the principal may see. An object the principal may not see is reported exactly like a
 * missing one (same code, same text: no existence oracle), and the denial is handed to `onDenied` for the audit.
 */
export class ObjectResolver {
  readonly session: CatalogReadSession;
  readonly model: AccessModel;
  readonly principal: ResolvedPrincipal;
  readonly #currentProject: string;
  readonly #explicitProject: boolean;
  readonly #onDenied: ObjectResolverParts['onDenied'];

  constructor(parts: ObjectResolverParts) {
    this.session = parts.session;
    this.model = parts.model;
    this.principal = parts.principal;
    this.#currentProject = parts.currentProject;
    this.#explicitProject = parts.explicitProject;
    this.#onDenied = parts.onDenied;
  }

  get currentProjectName(): string {
    return this.#currentProject;
  }

  /**
   * A project by name (the current one when `name` is null). One the principal may not see is "does not exist or not
   * authorized" when named explicitly; the current project by default (`default`) is not checked, so SHOW works there
   * for anyone (and lists what they may see).
   */
  async project(name: string | null | undefined): Promise<ProjectRecord> {
    const explicit = name !== null && name !== undefined;
    const wanted = explicit ? name : this.#currentProject;
    const project = await this.session.governance.project(wanted);
    const checked = explicit || this.#explicitProject;
    if (project === undefined || (checked && !(await this.projectVisible(project)))) {
      if (project !== undefined) this.#recordInvisible({ action: 'lakefn:UseProject', resource: projectResource(wanted) }, wanted, `project ${wanted} is not visible to ${this.principal.name}`);
      throw noSuchProject(wanted);
    }
    return project;
  }

  /**
   * Whether the principal may see a project: administrators, its owner, a privilege on it, a visible object in it, or
   * READ on a package installed in it.
   */
  async projectVisible(project: ProjectRecord): Promise<boolean> {
    const principal = this.principal;
    if (!this.model.policies.objectPrivilegesEnabled(project.name) || this.#holdsDataPolicy()) return true;
    if (principal.admin || principal.auditor || principal.ids.has(project.ownerId)) return true;
    if (principal.grants.some((grant) => grant.objectKind === 'project' && grant.objectId === project.id)) return true;
    for (const grant of principal.grants) {
      if (grant.objectKind === 'project') continue;
      const placement = await this.#placementOf(grant.objectKind, grant.objectId);
      if (placement?.projectId === project.id) return true;
    }
    // READ on a package installed in it (the project its functions are called from)
    for (const grant of await this.session.packages.grantsTo([...principal.ids])) {
      if ((await this.session.packages.installById(grant.installId))?.projectId === project.id) return true;
    }
    // objects it owns, itself or through one of its roles
    for (const id of principal.ids) {
      if ((await this.session.objectsOwnedBy(id)).some((object) => object.projectId === project.id)) return true;
    }
    return false;
  }

  /**
   * Whether the principal may see an object: administrators and auditors (who read the whole audit log, which names
   * every object anyway), holders of a coarse managed data policy (LakefnDataReadOnlyAccess: read and execute on every
   * object), its owner, or any privilege on it; anyone when the object's project has OBJECT_PRIVILEGES OFF (object
   * privileges are not checked there: the API layer alone decides, and may still deny).
   */
  objectVisible(kind: GrantObjectKind, id: string, ownerId: string, project: string): boolean {
    const principal = this.principal;
    return !this.model.policies.objectPrivilegesEnabled(project) || this.#holdsDataPolicy() || principal.admin || principal.auditor || principal.ids.has(ownerId) || principal.grants.some((grant) => grant.objectKind === kind && grant.objectId === id);
  }

  /** A connection by (qualified) name, visible to the principal, or E_NO_SUCH_CONNECTION ("does not exist or not authorized"). */
  async connection(name: string, projectName: string | null | undefined, action: GovernedRequest['action']): Promise<ResolvedObject<ConnectionRecord>> {
    const project = await this.project(projectName);
    const placed = await this.session.placedConnection(project.id, name);
    const resource = connectionResource(project.name, name);
    if (placed === undefined || !this.objectVisible('connection', placed.record.id, placed.ownerId, project.name)) {
      if (placed !== undefined) this.#recordInvisible({ action, resource }, project.name, `connection ${project.name}.${name} is not visible to ${this.principal.name}`);
      throw noSuchConnection(qualifiedName(project, name, this.#currentProject));
    }
    return { project, placed, resource, secured: { kind: 'connection', id: placed.record.id, displayName: `${project.name}.${name}`, ownerId: placed.ownerId } };
  }

  /**
   * A function by (qualified) name, visible to the principal, or E_NO_SUCH_FUNCTION. A name `a.b` without a project is
   * function `b` of project `a` when that project exists, else function `a.b` (schema `a`) of the current project.
   */
  async function(name: string, projectName: string | null | undefined, action: GovernedRequest['action']): Promise<ResolvedObject<FunctionRecord>> {
    const packaged = await this.#packagedFunction(name, projectName);
    if (packaged !== undefined) return packaged;
    const { project, local } = await this.functionLocation(name, projectName);
    const placed = await this.session.placedFunction(project.id, local);
    const resource = functionResource(project.name, local);
    if (placed === undefined || !this.objectVisible('function', placed.record.id, placed.ownerId, project.name)) {
      if (placed !== undefined) this.#recordInvisible({ action, resource }, project.name, `function ${project.name}.${local} is not visible to ${this.principal.name}`);
      throw noSuchFunction(qualifiedName(project, local, this.#currentProject));
    }
    return { project, placed, resource, secured: { kind: 'function', id: placed.record.id, displayName: `${project.name}.${local}`, ownerId: placed.ownerId } };
  }

  /**
   * `p.f` named in the current project q: function f of provider project p, when the principal cannot see it directly
   * but holds READ on a package of p installed in q (and still allowed) that shares f. Undefined otherwise (the usual
   * resolution then decides, and reports an invisible function exactly like a missing one).
   */
  async #packagedFunction(name: string, projectName: string | null | undefined): Promise<ResolvedObject<FunctionRecord> | undefined> {
    let providerName: string;
    let local: string;
    if (projectName !== null && projectName !== undefined) {
      providerName = projectName;
      local = name;
    } else {
      const dot = name.indexOf('.');
      if (dot <= 0) return undefined;
      providerName = name.slice(0, dot);
      local = name.slice(dot + 1);
    }
    if (providerName === this.#currentProject) return undefined;
    const governance = this.session.governance;
    const provider = await governance.project(providerName);
    const consumer = provider === undefined ? undefined : await governance.project(this.#currentProject);
    if (provider === undefined || consumer === undefined) return undefined;
    const placed = await this.session.placedFunction(provider.id, local);
    if (placed === undefined || this.objectVisible('function', placed.record.id, placed.ownerId, provider.name)) return undefined;
    // routes READ reaches, the label not yet considered: a function its label keeps out is named by the package the
    // principal reads, so it resolves, and the data layer's denial names the label (no existence to hide)
    const routes = (await packageRoutesTo(this.session, placed, provider, consumer)).filter((route) => readableRoute([route], this.principal) !== undefined);
    if (routes.length === 0) return undefined;
    return {
      project: provider,
      placed,
      resource: functionResource(provider.name, local),
      secured: { kind: 'function', id: placed.record.id, displayName: `${provider.name}.${local}`, ownerId: placed.ownerId },
      viaPackage: routes,
    };
  }

  /** Where a function name points: its project and its name there (see `function`). */
  async functionLocation(name: string, projectName: string | null | undefined): Promise<{ project: ProjectRecord; local: string }> {
    if (projectName === null || projectName === undefined) {
      const dot = name.indexOf('.');
      if (dot > 0) {
        const qualifier = await this.session.governance.project(name.slice(0, dot));
        if (qualifier !== undefined) return { project: await this.project(qualifier.name), local: name.slice(dot + 1) };
      }
    }
    return { project: await this.project(projectName), local: name };
  }

  /** The project itself as a secured object. */
  projectObject(project: ProjectRecord): SecuredObject {
    return { kind: 'project', id: project.id, displayName: project.name, ownerId: project.ownerId };
  }

  /** A securable named in GRANT / REVOKE / SHOW GRANTS ON, visible to the principal. */
  async securable(reference: ObjectReference, action: GovernedRequest['action']): Promise<{ secured: SecuredObject; resource: ResourceName; project: ProjectRecord; record: ProjectRecord | Placed<ConnectionRecord> | Placed<FunctionRecord> }> {
    switch (reference.kind) {
      case 'project': {
        const project = await this.project(reference.name);
        return { secured: this.projectObject(project), resource: projectResource(project.name), project, record: project };
      }
      case 'connection': {
        const resolved = await this.connection(reference.name, reference.project, action);
        return { ...resolved, record: resolved.placed };
      }
      case 'function': {
        const resolved = await this.function(reference.name, reference.project, action);
        return { ...resolved, record: resolved.placed };
      }
    }
  }

  /** A managed data-layer policy (LakefnDataFullAccess, LakefnDataReadOnlyAccess) applies to the principal. */
  #holdsDataPolicy(): boolean {
    const principal = this.principal;
    return this.model.policies.policiesFor(principal.ids, principal.admin).some((attached) => attached.policy.layer === 'data');
  }

  #recordInvisible(request: GovernedRequest, project: string, why: string): void {
    // the same decision shape as any other denial: a built-in rule (visibility) refused it
    this.#onDenied(authorizeRequest(this.model, this.principal, { ...request, rule: { refused: why, superAdministratorMay: false } }), project);
  }

  async #placementOf(kind: GrantObjectKind, id: string): Promise<{ projectId: string } | undefined> {
    const known = this.session.placementOf(id);
    if (known !== undefined) return known;
    try {
      return kind === 'connection' ? await this.session.placedConnectionById(id) : await this.session.placedFunctionById(id);
    } catch (error) {
      if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return undefined;
      throw error;
    }
  }
}

/** `name` in the current project, `project.name` elsewhere (what the user would write). */
function qualifiedName(project: ProjectRecord, name: string, current: string): string {
  return project.name === current ? name : `${project.name}.${name}`;
}

export function noSuchProject(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_PROJECT', `project '${name}' does not exist or not authorized (SHOW PROJECTS lists those you can see)`, { data: { project: name } });
}

