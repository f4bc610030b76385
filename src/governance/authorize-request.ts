import { LakefnError, type ErrorLocation } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS, type BuiltInRoleName, type Privilege } from '../spec/governance-records.ts';
import {
  authorize, formatResourceName, type ActionName, type AuthorizationDecision, type AuthorizationDependency, type AuthorizationInput, type AuthorizeOptions,
  type ObjectPrivilegeAnswer, type ObjectPrivilegeSource, type RequestContext, type ResourceName,
} from './policy/index.ts';
import { SourceAddress } from './policy/source-address.ts';
import type { AccessModel, ResolvedPrincipal, SecuredObject } from './access-model.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { heldRoute, labelRefusal, readableRoute, type PackageRoute } from './package-routes.ts';

/**
 * THE authorization function of lakefn: every statement, every call (CLI, serve, the in-process hook, DuckDB) and every
 * audit command is decided by `authorizeRequest`, on the policy engine's combination of issue 12's steps:
 * 1. the caller authenticated the principal and the AccessModel expanded its roles (transitively, PUBLIC included);
 * 2. the bootstrap super administrator and members of `super_administrator` are allowed (break-glass, audited);
 * 3. the boundaries that apply (the resource's project's, the principal's, each of its roles') cap the request;
 * 4. an explicit Deny in any policy attached to the principal or one of its roles denies (over admin and grants);
 * 5. API layer: a policy attached to the principal or its roles (managed or own) must allow the action. Catalogs
 *    created or upgraded by migration 5 attach LakefnFullAccess to PUBLIC (what Governance I implied for everyone);
 *    detaching it enforces this layer. Members of `admin` hold LakefnFullAccess and LakefnDataFullAccess too;
 * 6. data layer: the object privileges (ownership, grants held directly or through roles) decide, OR a coarse managed
 *    data policy (LakefnDataFullAccess, LakefnDataReadOnlyAccess); skipped for data objects when the project's
 *    OBJECT_PRIVILEGES is OFF, never for permission management;
 * 7. dependent requests (CreateFunction → the caller's UseConnection; InvokeFunction → the function owner's
 *    UseConnection: definer rights) go through the same steps for their own principal.
 * Condition keys come from the real request: Provider, Region, ConnectionName and FunctionName from the objects,
 * Project from the resource, PrincipalName from the principal, CurrentTime from the clock, SourceIp from the
 * authenticated principal's client address (serve), the same for every dependency of the request.
 * Built-in rules that no policy can express (only super_administrator changes the membership of super_administrator and
 * admin) are checked first and deny with the same decision shape.
 */

/** What the data layer asks: which privilege(s) on which object allow the request, or which built-in role. */
export type PrivilegeQuestion =
  | {
      readonly kind: 'object';
      readonly object: SecuredObject;
      /** Any of these allows it (OWNERSHIP too, unless `ownership` is false). */
      readonly accepted: readonly Privilege[];
      readonly ownership: boolean;
      /** Only grants WITH GRANT OPTION count (GRANT / REVOKE by a non-owner). */
      readonly grantOption?: boolean;
      /** A function's routes through installed packages (EXECUTE only): READ on one of them allows it too. */
      readonly packages?: readonly PackageRoute[];
    }
  | { readonly kind: 'role'; readonly roles: readonly BuiltInRoleName[] }
  /** Any of the alternatives (SHOW FUNCTION HISTORY: the owner, MONITOR on the project, or auditor). */
  | { readonly kind: 'any'; readonly alternatives: readonly PrivilegeQuestion[] }
  /** Only a member of `admin` (through LakefnDataFullAccess) or super_administrator: e.g. CREATE USER. */
  | { readonly kind: 'administrators' }
  /** Allowed by a fact the caller established (SHOW GRANTS TO one's own user or role), described for the trace. */
  | { readonly kind: 'held'; readonly description: string };

export interface GovernedRequest {
  readonly action: ActionName;
  /** The LRN; undefined for account-wide actions. */
  readonly resource?: ResourceName | undefined;
  readonly context?: RequestContext | undefined;
  /** Required for every action the data layer checks (catalog `dataLayer` object or always). */
  readonly privilege?: PrivilegeQuestion | undefined;
  readonly dependencies?: readonly GovernedDependency[] | undefined;
  /** A built-in rule that refused the request (checked before the steps; break-glass does not lift it unless `superAdministratorMay`). */
  readonly rule?: { readonly refused: string; readonly superAdministratorMay: boolean } | undefined;
}

export interface GovernedDependency {
  readonly as: 'caller' | 'owner';
  readonly principal: ResolvedPrincipal;
  readonly request: GovernedRequest;
}

/** Decides one request for one principal in one catalog snapshot. Pure given the snapshot; the trace is in the decision. */
export function authorizeRequest(model: AccessModel, principal: ResolvedPrincipal, request: GovernedRequest, options: AuthorizeOptions = {}): AuthorizationDecision {
  if (request.rule !== undefined && !(request.rule.superAdministratorMay && principal.superAdministrator)) {
    return ruleDenial(principal, request, request.rule.refused);
  }
  return authorize(policyInput(model, principal, request, sourceAddressOf(principal.authenticated)), options);
}

const SOURCE_ADDRESSES = new WeakMap<AuthenticatedPrincipal, SourceAddress | null>();

/**
 * The client address serve put on the authenticated principal, when it is an IP address (parsed once per principal).
 * One that does not parse is left out rather than failing the decision: a SourceIp condition then sees the key absent
 * (IpAddress does not match, NotIpAddress does, as in IAM).
 */
function sourceAddressOf(authenticated: AuthenticatedPrincipal): SourceAddress | undefined {
  let known = SOURCE_ADDRESSES.get(authenticated);
  if (known === undefined) {
    const text = authenticated.sourceIp;
    known = (text === undefined ? undefined : SourceAddress.parse(text)) ?? null;
    SOURCE_ADDRESSES.set(authenticated, known);
  }
  return known ?? undefined;
}

/** The policy engine's input. Built per decision, so without closures (each would cost as much as a policy match). */
function policyInput(model: AccessModel, principal: ResolvedPrincipal, request: GovernedRequest, sourceAddress: SourceAddress | undefined): AuthorizationInput {
  const project = projectOf(request.resource);
  const policies = model.policies;
  let dependencies: AuthorizationDependency[] | undefined;
  if (request.dependencies !== undefined) {
    dependencies = [];
    for (const dependency of request.dependencies) dependencies.push({ as: dependency.as, input: policyInput(model, dependency.principal, dependency.request, sourceAddress) });
  }
  return {
    principal: { name: principal.name, superAdministrator: principal.superAdministrator, roles: principal.roleNames },
    request,
    sourceAddress,
    boundaries: policies.boundariesFor(principal.ids, project),
    policies: policies.policiesFor(principal.ids, principal.admin),
    objectPrivilege: new PrivilegeQuestionSource(model, principal, request.privilege),
    objectPrivilegesEnabled: policies.objectPrivilegesEnabled(project),
    dependencies,
  };
}

/** The data layer's object-privilege answer, computed only when the engine reaches that step. */
class PrivilegeQuestionSource implements ObjectPrivilegeSource {
  readonly #model: AccessModel;
  readonly #principal: ResolvedPrincipal;
  readonly #question: PrivilegeQuestion | undefined;

  constructor(model: AccessModel, principal: ResolvedPrincipal, question: PrivilegeQuestion | undefined) {
    this.#model = model;
    this.#principal = principal;
    this.#question = question;
  }

  answer(): ObjectPrivilegeAnswer {
    return answer(this.#model, this.#principal, this.#question);
  }
}

/** The project a resource is in (a project resource: itself); undefined for account-wide requests. */
function projectOf(resource: ResourceName | undefined): string | undefined {
  if (resource === undefined) return undefined;
  return resource.type === 'project' ? resource.name : resource.project;
}

function answer(model: AccessModel, principal: ResolvedPrincipal, question: PrivilegeQuestion | undefined): ObjectPrivilegeAnswer {
  if (question === undefined) return { allowed: false, missing: 'a privilege (none applies to this request: deny by default)' };
  switch (question.kind) {
    case 'administrators':
      return { allowed: false, missing: 'membership in admin' };
    case 'held':
      return { allowed: true, grant: question.description };
    case 'role': {
      const held = question.roles.find((role) => principal.ids.has(BUILT_IN_ROLE_IDS[role]));
      return held === undefined ? { allowed: false, missing: `membership in ${question.roles.join(' or ')}` } : { allowed: true, grant: `membership in role ${held}` };
    }
    case 'any': {
      const missing: string[] = [];
      for (const alternative of question.alternatives) {
        const result = answer(model, principal, alternative);
        if (result.allowed) return result;
        missing.push(result.missing);
      }
      return { allowed: false, missing: missing.join(', or ') };
    }
    case 'object': {
      const { object } = question;
      const what = `${object.kind} ${object.displayName}`;
      if (question.ownership && principal.ids.has(object.ownerId)) return { allowed: true, grant: `OWNERSHIP of ${what} (held by ${model.describe(object.ownerId)})` };
      for (const grant of principal.grants) {
        if (grant.objectKind !== object.kind || grant.objectId !== object.id || !question.accepted.includes(grant.privilege)) continue;
        if (question.grantOption === true && !grant.grantOption) continue;
        return { allowed: true, grant: `${grant.privilege}${grant.grantOption ? ' WITH GRANT OPTION' : ''} on ${what} (granted to ${model.describe(grant.granteeId)})` };
      }
      const executes = question.accepted.includes('EXECUTE');
      const route = executes ? heldRoute(question.packages, principal) : undefined;
      if (route !== undefined) {
        const holder = route.granteeIds.find((id) => principal.ids.has(id)) ?? '';
        return {
          allowed: true,
          grant: `READ on package ${route.providerProject}.${route.packageName} installed in project ${route.consumerProject} (granted to ${model.describe(holder)}), which shares EXECUTE on ${what}`,
        };
      }
      const privileges = question.accepted.join(' or ');
      const option = question.grantOption === true ? ' WITH GRANT OPTION' : '';
      const orOwnership = question.ownership ? (question.accepted.length === 0 ? 'OWNERSHIP' : `${privileges}${option} or OWNERSHIP`) : `${privileges}${option}`;
      // READ on a package that shares the function, which its sensitivity label keeps out: say so, and what would let it in
      const readable = executes ? readableRoute(question.packages, principal) : undefined;
      const refusal = readable === undefined ? undefined : labelRefusal(readable, object.displayName);
      return { allowed: false, missing: `${question.accepted.length === 0 ? 'OWNERSHIP' : orOwnership} on ${what}${refusal === undefined ? '' : `; ${refusal}`}` };
    }
  }
}

/** A denial by a built-in rule, in the shape of a policy decision (the data-layer step names the rule). */
function ruleDenial(principal: ResolvedPrincipal, request: GovernedRequest, refused: string): AuthorizationDecision {
  const target = `${request.action} on ${request.resource === undefined ? 'the account' : formatResourceName(request.resource)}`;
  return {
    allowed: false,
    breakGlass: false,
    deniedAt: 'data_layer',
    reason: `${target} is refused by a built-in rule: ${refused}`,
    principal: principal.name,
    roles: principal.roleNames,
    action: request.action,
    resource: request.resource,
    steps: [
      { step: 'super_administrator', outcome: 'not_applicable' },
      { step: 'data_layer', outcome: 'deny', grant: undefined, missing: refused, statements: [] },
    ],
  };
}

/** The privilege the denial names as missing (the data layer's, or a dependency's), when there is one. */
export function missingPrivilege(decision: AuthorizationDecision): string | undefined {
  for (const step of decision.steps) {
    if (step.step === 'data_layer' && step.outcome === 'deny') return step.missing;
    if (step.step === 'dependencies' && step.outcome === 'deny') {
      for (const dependency of step.dependencies) {
        if (dependency.decision !== undefined && !dependency.decision.allowed) return missingPrivilege(dependency.decision);
      }
    }
  }
  return undefined;
}

/** E_ACCESS_DENIED for a denied decision: who, what is missing, on which object, and the decision's trace in `data`. */
export function accessDenied(decision: AuthorizationDecision, location?: ErrorLocation, facts: Readonly<Record<string, unknown>> = {}): LakefnError {
  const missing = missingPrivilege(decision);
  return new LakefnError('E_ACCESS_DENIED', `${decision.principal} is not authorized: ${decision.reason}`, {
    ...(location === undefined ? {} : { location }),
    data: {
      ...facts,
      principal: decision.principal,
      action: decision.action,
      resource: decision.resource === undefined ? null : formatResourceName(decision.resource),
      denied_at: decision.deniedAt ?? null,
      ...(missing === undefined ? {} : { missing }),
    },
  });
}
