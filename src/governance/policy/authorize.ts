import { LakefnError } from '../../errors/index.ts';
import type { ActionName, DependentAction } from './action-catalog.ts';
import { prepareRequest, type AuthorizationRequest, type PreparedRequest } from './authorization-request.ts';
import { describeDenial } from './describe-denial.ts';
import { matchingStatements, type AttachedPolicy, type PolicyAttachment, type StatementReference } from './evaluate-policy.ts';
import type { ResourceName } from './resource-name.ts';

/** The authenticated principal, roles already expanded (step 1 is the caller's). */
export interface AuthorizationPrincipal {
  readonly name: string;
  /** Member (directly or through roles) of the built-in super_administrator: break-glass, step 2. */
  readonly superAdministrator: boolean;
  /** The roles the principal holds, transitively; shown by EXPLAIN only. */
  readonly roles?: readonly string[] | undefined;
}

/**
 * The object-privilege part of the data layer, decided by the caller (grants, ownership, roles, installed packages,
 * `admin`): whether it allows the request, and which grant (for the trace and the audit), or which privilege is missing.
 */
export type ObjectPrivilegeAnswer = { readonly allowed: true; readonly grant: string } | { readonly allowed: false; readonly missing: string };

/** Everything one decision depends on; `authorize` is a pure function of it (and of the clock when no CurrentTime is given). */
export interface AuthorizationInput {
  readonly principal: AuthorizationPrincipal;
  readonly request: AuthorizationRequest;
  /** Every boundary that applies: the resource's project's, the principal's, and each of its roles'. */
  readonly boundaries: readonly AttachedPolicy[];
  /** Every policy attached to the principal or its roles (managed or own, both layers; admin's implied managed ones too). */
  readonly policies: readonly AttachedPolicy[];
  /** The object-privilege answer, or a function computing it: called only when the data layer runs. */
  readonly objectPrivilege: ObjectPrivilegeAnswer | (() => ObjectPrivilegeAnswer);
  /** The resource's project's OBJECT_PRIVILEGES switch (true unless `ALTER PROJECT p SET OBJECT_PRIVILEGES = OFF`). */
  readonly objectPrivilegesEnabled: boolean;
  /**
   * The dependent requests (catalog `dependentActions`), each a complete input of its own: the dependent resource may
   * be in another project (other boundaries, other switch), and an `owner` dependency is decided for the function's
   * owner (its principal, policies and grants). Every dependency without a `when` in the catalog must be supplied.
   */
  readonly dependencies?: readonly AuthorizationDependency[] | undefined;
}

export interface AuthorizationDependency {
  readonly as: DependentAction['as'];
  readonly input: AuthorizationInput;
}

export type DecisionStepName = 'super_administrator' | 'boundary' | 'explicit_deny' | 'api_layer' | 'data_layer' | 'dependencies';

/** One boundary's verdict: inside when no Deny and some Allow statement of it matches. */
export interface BoundaryVerdict {
  readonly policy: string;
  readonly attachedTo: PolicyAttachment;
  readonly inside: boolean;
  readonly deniedBy: readonly StatementReference[];
  readonly allowedBy: readonly StatementReference[];
}

export interface DependencyVerdict {
  readonly action: ActionName;
  readonly as: DependentAction['as'];
  /** Undefined when a required dependency was not supplied (denied: fail closed). */
  readonly decision: AuthorizationDecision | undefined;
}

/**
 * One step of the evaluation, for EXPLAIN AUTHORIZATION and the audit. `outcome`: `allow` (break-glass), `deny`,
 * `pass`, `skipped` (data layer with OBJECT_PRIVILEGES = OFF), `not_applicable`, or `not_evaluated` (after an earlier
 * decision, outside explain mode).
 */
export type DecisionStep =
  | { readonly step: 'super_administrator'; readonly outcome: 'allow' | 'not_applicable' }
  | { readonly step: 'boundary'; readonly outcome: StepOutcome; readonly boundaries: readonly BoundaryVerdict[] }
  | { readonly step: 'explicit_deny'; readonly outcome: StepOutcome; readonly statements: readonly StatementReference[] }
  | { readonly step: 'api_layer'; readonly outcome: StepOutcome; readonly statements: readonly StatementReference[] }
  | {
      readonly step: 'data_layer';
      readonly outcome: StepOutcome;
      /** The object privilege that allowed it. */
      readonly grant: string | undefined;
      /** The object privilege that would have, when none did. */
      readonly missing: string | undefined;
      /** The coarse managed data policy statements that allowed it. */
      readonly statements: readonly StatementReference[];
    }
  | { readonly step: 'dependencies'; readonly outcome: StepOutcome; readonly dependencies: readonly DependencyVerdict[] };

export type StepOutcome = 'pass' | 'deny' | 'skipped' | 'not_applicable' | 'not_evaluated';

/** The decision and its trace. Plain data: JSON-serialisable for `--json` and the audit. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** Allowed by super_administrator membership (always audit these). */
  readonly breakGlass: boolean;
  /** The step that denied; undefined when allowed. */
  readonly deniedAt: DecisionStepName | undefined;
  /** One line: why it was denied (what matched or what is missing, and where), or `allowed`. */
  readonly reason: string;
  readonly principal: string;
  /** The principal's roles as given (for EXPLAIN). */
  readonly roles: readonly string[];
  readonly action: ActionName;
  readonly resource: ResourceName | undefined;
  /** Steps 2–7 in order (step 1, authentication and role expansion, is the caller's). */
  readonly steps: readonly DecisionStep[];
}

export interface AuthorizeOptions {
  /**
   * Evaluate every step and collect every matching statement even after the decision is known (EXPLAIN
   * AUTHORIZATION). The decision itself is the same as without. @default false
   */
  readonly explain?: boolean;
}

/**
 * Issue 12's evaluation, steps 2–7, as a pure function of its input:
 * 2. a super_administrator is allowed (break-glass: exempt from boundaries and Deny; always audited);
 * 3. a request outside ANY applicable boundary is denied (a boundary never grants: it is inside when none of its Deny
 *    and some of its Allow statements match, like an SCP);
 * 4. an explicit Deny in any attached policy denies (it beats admin, object grants and package grants);
 * 5. API layer: an attached API-layer policy must allow the action;
 * 6. data layer (catalog `dataLayer`): the object privilege OR a coarse managed data policy must allow it; skipped for
 *    data objects (`object`) when the project's OBJECT_PRIVILEGES is off, never for permission management (`always`);
 * 7. every dependent request (catalog `dependentActions`, e.g. UseConnection for CreateFunction, the owner's
 *    UseConnection for InvokeFunction) goes through the same steps for its own principal; a missing required
 *    dependency denies (fail closed). For a super_administrator caller only the `owner` dependencies are evaluated:
 *    break-glass exempts the caller, while the owner's definer rights belong to the function.
 * Throws E_INTERNAL for a request the catalog does not allow (see prepareRequest).
 */
export function authorize(input: AuthorizationInput, options: AuthorizeOptions = {}): AuthorizationDecision {
  return authorizeAtDepth(input, options, 0);
}

/** Dependencies nest (a dependency's own dependencies); deeper than this is a cycle in the caller's inputs. */
const MAX_DEPENDENCY_DEPTH = 4;

function authorizeAtDepth(input: AuthorizationInput, options: AuthorizeOptions, depth: number): AuthorizationDecision {
  if (depth > MAX_DEPENDENCY_DEPTH) throw new LakefnError('E_INTERNAL', `authorization dependencies nest deeper than ${MAX_DEPENDENCY_DEPTH} levels (a dependency names itself?)`);
  const explain = options.explain ?? false;
  const { principal, request } = input;
  const prepared = prepareRequest(request, principal.name, Date.now());
  const steps: DecisionStep[] = [];
  let deniedAt: DecisionStepName | undefined;
  const decided = (): boolean => !explain && (deniedAt !== undefined || principal.superAdministrator);
  const deny = (step: DecisionStepName): void => {
    deniedAt ??= step;
  };

  steps.push({ step: 'super_administrator', outcome: principal.superAdministrator ? 'allow' : 'not_applicable' });
  const breakGlass = principal.superAdministrator;

  // Step 3: boundaries.
  if (decided()) steps.push({ step: 'boundary', outcome: 'not_evaluated', boundaries: [] });
  else steps.push(boundaryStep(input.boundaries, prepared, explain, breakGlass ? undefined : deny));

  // Step 4: explicit Deny in any attached policy.
  if (decided()) steps.push({ step: 'explicit_deny', outcome: 'not_evaluated', statements: [] });
  else {
    const denials = matchingStatements(input.policies, 'Deny', prepared, explain);
    if (denials.length > 0 && !breakGlass) deny('explicit_deny');
    steps.push({ step: 'explicit_deny', outcome: denials.length > 0 ? 'deny' : 'pass', statements: denials });
  }

  // Step 5: API layer.
  if (decided()) steps.push({ step: 'api_layer', outcome: 'not_evaluated', statements: [] });
  else {
    const allows = matchingStatements(apiPolicies(input.policies), 'Allow', prepared, explain);
    if (allows.length === 0 && !breakGlass) deny('api_layer');
    steps.push({ step: 'api_layer', outcome: allows.length > 0 ? 'pass' : 'deny', statements: allows });
  }

  // Step 6: data layer.
  if (decided()) steps.push({ step: 'data_layer', outcome: 'not_evaluated', grant: undefined, missing: undefined, statements: [] });
  else {
    const step = dataLayerStep(input, prepared, explain);
    if (step.outcome === 'deny' && !breakGlass) deny('data_layer');
    steps.push(step);
  }

  // Step 7: dependent requests. Break-glass exempts the caller, not a function's owner: the definer-rights check
  // (an `owner` dependency, Governance I's call-time rule) is a property of the function, so revoking the owner's USAGE
  // stops the function for a super_administrator caller too.
  if (!explain && deniedAt !== undefined) steps.push({ step: 'dependencies', outcome: 'not_evaluated', dependencies: [] });
  else {
    const step = dependencyStep(input, prepared, options, breakGlass ? 'owner' : undefined, depth);
    if (step.outcome === 'deny') deny('dependencies');
    steps.push(step);
  }

  const allowed = deniedAt === undefined;
  const decision = { allowed, breakGlass: breakGlass && allowed, deniedAt, principal: principal.name, roles: principal.roles ?? [], action: prepared.action.name, resource: prepared.resource, steps };
  return { ...decision, reason: allowed ? (breakGlass ? 'allowed: super_administrator (break-glass)' : 'allowed') : describeDenial(decision) };
}

function boundaryStep(boundaries: readonly AttachedPolicy[], request: PreparedRequest, explain: boolean, deny: ((step: DecisionStepName) => void) | undefined): DecisionStep {
  if (boundaries.length === 0) return { step: 'boundary', outcome: 'not_applicable', boundaries: [] };
  const verdicts: BoundaryVerdict[] = [];
  let outside = false;
  for (const boundary of boundaries) {
    const single = [boundary];
    const deniedBy = matchingStatements(single, 'Deny', request, explain);
    const allowedBy = deniedBy.length > 0 && !explain ? [] : matchingStatements(single, 'Allow', request, explain);
    const inside = deniedBy.length === 0 && allowedBy.length > 0;
    verdicts.push({ policy: boundary.policy.name, attachedTo: boundary.attachedTo, inside, deniedBy, allowedBy });
    if (!inside) {
      outside = true;
      if (!explain) break;
    }
  }
  if (outside) deny?.('boundary');
  return { step: 'boundary', outcome: outside ? 'deny' : 'pass', boundaries: verdicts };
}

function apiPolicies(policies: readonly AttachedPolicy[]): readonly AttachedPolicy[] {
  return policies.every((attached) => attached.policy.layer === 'api') ? policies : policies.filter((attached) => attached.policy.layer === 'api');
}

function dataPolicies(policies: readonly AttachedPolicy[]): readonly AttachedPolicy[] {
  return policies.filter((attached) => attached.policy.layer === 'data');
}

function dataLayerStep(input: AuthorizationInput, request: PreparedRequest, explain: boolean): DecisionStep {
  const check = request.action.dataLayer;
  if (check === 'none') return { step: 'data_layer', outcome: 'not_applicable', grant: undefined, missing: undefined, statements: [] };
  if (check === 'object' && !input.objectPrivilegesEnabled) return { step: 'data_layer', outcome: 'skipped', grant: undefined, missing: undefined, statements: [] };
  const answer = typeof input.objectPrivilege === 'function' ? input.objectPrivilege() : input.objectPrivilege;
  const statements = answer.allowed && !explain ? [] : matchingStatements(dataPolicies(input.policies), 'Allow', request, explain);
  const allowed = answer.allowed || statements.length > 0;
  return { step: 'data_layer', outcome: allowed ? 'pass' : 'deny', grant: answer.allowed ? answer.grant : undefined, missing: answer.allowed ? undefined : answer.missing, statements };
}

function dependencyStep(input: AuthorizationInput, request: PreparedRequest, options: AuthorizeOptions, only: DependentAction['as'] | undefined, depth: number): DecisionStep {
  const supplied = (input.dependencies ?? []).filter((dependency) => only === undefined || dependency.as === only);
  const required = request.action.dependentActions.filter((dependent) => dependent.when === undefined && (only === undefined || dependent.as === only));
  if (supplied.length === 0 && required.length === 0) return { step: 'dependencies', outcome: 'not_applicable', dependencies: [] };
  const verdicts: DependencyVerdict[] = [];
  let denied = false;
  for (const dependent of required) {
    if (!supplied.some((dependency) => dependency.as === dependent.as && dependency.input.request.action === dependent.action)) {
      verdicts.push({ action: dependent.action as ActionName, as: dependent.as, decision: undefined });
      denied = true;
    }
  }
  for (const dependency of supplied) {
    if (denied && !options.explain) break;
    const decision = authorizeAtDepth(dependency.input, options, depth + 1);
    verdicts.push({ action: decision.action, as: dependency.as, decision });
    if (!decision.allowed) denied = true;
  }
  return { step: 'dependencies', outcome: denied ? 'deny' : 'pass', dependencies: verdicts };
}
