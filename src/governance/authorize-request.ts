import { LakefnError, type ErrorLocation } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS, type BuiltInRoleName, type Privilege } from '../spec/governance-records.ts';
import {
  authorize, compilePolicy, formatResourceName, MANAGED_POLICIES, type ActionName, type AttachedPolicy, type AuthorizationDecision,
  type AuthorizationInput, type AuthorizeOptions, type ObjectPrivilegeAnswer, type RequestContext, type ResourceName,
} from './policy/index.ts';
import type { AccessModel, ResolvedPrincipal, SecuredObject } from './access-model.ts';
import { heldRoute, type PackageRoute } from './package-routes.ts';

/**
 * THE authorization function of lakefn: every statement, every call (CLI, serve, the in-process hook, DuckDB) and every
 * audit command is decided by `authorizeRequest`, on the policy engine's combination of issue 12's steps.
 *
 * What Governance I puts into that combination:
 * - step 2: the bootstrap super administrator and members of `super_administrator` are allowed (break-glass, audited);
 * - steps 3 and 4: no boundaries and no user policies exist yet (Governance II attaches them here);
 * - step 5, API layer: Governance I has no API-layer policies, so every principal holds IMPLICIT_API_ACCESS, a built-in
 *   allow-all API policy attached to PUBLIC. It is stated, not skipped, so the trace says what allowed the API layer;
 *   Governance II replaces it with the policies attached to the principal and its roles. Members of `admin` also hold
 *   the managed LakefnFullAccess (API) and LakefnDataFullAccess (data);
 * - step 6, data layer: the object privileges (ownership, grants held directly or through roles) decide, OR admin's
 *   LakefnDataFullAccess;
 * - step 7: dependent requests (CreateFunction → the caller's UseConnection; InvokeFunction → the function owner's
 *   UseConnection: definer rights) go through the same steps for their own principal.
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

/** Governance I's stand-in for API-layer policies: allows every action to every principal (see the module comment). */
export const IMPLICIT_API_ACCESS = compilePolicy(
  'ImplicitApiAccess',
  JSON.stringify({ Version: '1', Statement: [{ Sid: 'GovernanceOneAllowsEveryApiAction', Effect: 'Allow', Action: ['lakefn:*'], Resource: ['*'] }] }),
  'api',
);

const PUBLIC_POLICIES: readonly AttachedPolicy[] = [{ policy: IMPLICIT_API_ACCESS, attachedTo: { kind: 'role', name: 'public' } }];
const ADMIN_POLICIES: readonly AttachedPolicy[] = [
  ...PUBLIC_POLICIES,
  { policy: MANAGED_POLICIES.LakefnFullAccess.compiled, attachedTo: { kind: 'role', name: 'admin' } },
  { policy: MANAGED_POLICIES.LakefnDataFullAccess.compiled, attachedTo: { kind: 'role', name: 'admin' } },
];

/** Decides one request for one principal in one catalog snapshot. Pure given the snapshot; the trace is in the decision. */
export function authorizeRequest(model: AccessModel, principal: ResolvedPrincipal, request: GovernedRequest, options: AuthorizeOptions = {}): AuthorizationDecision {
  if (request.rule !== undefined && !(request.rule.superAdministratorMay && principal.superAdministrator)) {
    return ruleDenial(principal, request, request.rule.refused);
  }
  return authorize(policyInput(model, principal, request), options);
}

function policyInput(model: AccessModel, principal: ResolvedPrincipal, request: GovernedRequest): AuthorizationInput {
  return {
    principal: { name: principal.name, superAdministrator: principal.superAdministrator, roles: principal.roleNames },
    request: { action: request.action, resource: request.resource, context: request.context },
    boundaries: [],
    policies: principal.admin ? ADMIN_POLICIES : PUBLIC_POLICIES,
    objectPrivilege: () => answer(model, principal, request.privilege),
    objectPrivilegesEnabled: true,
    dependencies: (request.dependencies ?? []).map((dependency) => ({ as: dependency.as, input: policyInput(model, dependency.principal, dependency.request) })),
  };
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
      const route = question.accepted.includes('EXECUTE') ? heldRoute(question.packages, principal) : undefined;
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
      return { allowed: false, missing: `${question.accepted.length === 0 ? 'OWNERSHIP' : orOwnership} on ${what}` };
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
export function accessDenied(decision: AuthorizationDecision, location?: ErrorLocation): LakefnError {
  const missing = missingPrivilege(decision);
  return new LakefnError('E_ACCESS_DENIED', `${decision.principal} is not authorized: ${decision.reason}`, {
    ...(location === undefined ? {} : { location }),
    data: {
      principal: decision.principal,
      action: decision.action,
      resource: decision.resource === undefined ? null : formatResourceName(decision.resource),
      denied_at: decision.deniedAt ?? null,
      ...(missing === undefined ? {} : { missing }),
    },
  });
}
