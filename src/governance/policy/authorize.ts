import { LakefnError } from '../../errors/index.ts';
import type { ActionName, DependentAction } from './action-catalog.ts';
import { prepareRequest, type AuthorizationRequest, type PreparedRequest } from './authorization-request.ts';
import { describeDenial } from './describe-denial.ts';
import { matchingStatements, matchingStatementsOf, type AttachedPolicy, type PolicyAttachment, type StatementReference } from './evaluate-policy.ts';
import type { ResourceName } from './resource-name.ts';
import type { SourceAddress } from './source-address.ts';

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

/** Computes the object-privilege answer on demand (most decisions end before the data layer). */
export interface ObjectPrivilegeSource {
  answer(): ObjectPrivilegeAnswer;
}

/** Everything one decision depends on; `authorize` is a pure function of it (and of the clock when no CurrentTime is given). */
export interface AuthorizationInput {
  readonly principal: AuthorizationPrincipal;
  readonly request: AuthorizationRequest;
  /** Every boundary that applies: the resource's project's, the principal's, and each of its roles'. */
  readonly boundaries: readonly AttachedPolicy[];
  /** Every policy attached to the principal or its roles (managed or own, both layers; admin's implied managed ones too). */
  readonly policies: readonly AttachedPolicy[];
  /** The object-privilege answer, or a source computing it: asked only when the data layer runs. */
  readonly objectPrivilege: ObjectPrivilegeAnswer | ObjectPrivilegeSource;
  /**
   * The client address the entry point authenticated the request from (serve: the socket's address), parsed once per
   * principal: the `lakefn:SourceIp` condition value. When given it wins over a context's `lakefn:SourceIp` (a request
   * cannot claim another address).
   */
  readonly sourceAddress?: SourceAddress | undefined;
  /**
   * The resource's project's OBJECT_PRIVILEGES switch (true unless `ALTER PROJECT p SET OBJECT_PRIVILEGES = OFF`). Read
   * only for actions whose catalog `dataLayer` is `object`; permission management is checked either way.
   */
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
  // Written without closures: a decision must cost microseconds, and every closure created per call costs.
  const explain = options.explain === true;
  const { principal, request } = input;
  const prepared = prepareRequest(request, principal.name, Date.now(), input.sourceAddress);
  const breakGlass = principal.superAdministrator;
  // Break-glass decides steps 3–6; in explain mode they are evaluated anyway, for the trace, without deciding.
  const skipCallerSteps = breakGlass && !explain;
  let deniedAt: DecisionStepName | undefined;

  const steps: DecisionStep[] = [{ step: 'super_administrator', outcome: breakGlass ? 'allow' : 'not_applicable' }];

  // Step 3: boundaries.
  if (skipCallerSteps) steps.push({ step: 'boundary', outcome: 'not_evaluated', boundaries: NO_BOUNDARIES });
  else {
    const step = boundaryStep(input.boundaries, prepared, explain);
    if (step.outcome === 'deny' && !breakGlass) deniedAt = 'boundary';
    steps.push(step);
  }

  // Step 4: explicit Deny in any attached policy.
  if (skipCallerSteps || (deniedAt !== undefined && !explain)) steps.push({ step: 'explicit_deny', outcome: 'not_evaluated', statements: NO_STATEMENTS });
  else {
    const denials = matchingStatements(input.policies, 'Deny', prepared, explain);
    if (denials.length > 0 && !breakGlass) deniedAt ??= 'explicit_deny';
    steps.push({ step: 'explicit_deny', outcome: denials.length > 0 ? 'deny' : 'pass', statements: denials });
  }

  // Step 5: API layer.
  if (skipCallerSteps || (deniedAt !== undefined && !explain)) steps.push({ step: 'api_layer', outcome: 'not_evaluated', statements: NO_STATEMENTS });
  else {
    const allows = matchingStatements(input.policies, 'Allow', prepared, explain, 'api');
    if (allows.length === 0 && !breakGlass) deniedAt ??= 'api_layer';
    steps.push({ step: 'api_layer', outcome: allows.length > 0 ? 'pass' : 'deny', statements: allows });
  }

  // Step 6: data layer.
  if (skipCallerSteps || (deniedAt !== undefined && !explain)) steps.push({ step: 'data_layer', outcome: 'not_evaluated', grant: undefined, missing: undefined, statements: NO_STATEMENTS });
  else {
    const step = dataLayerStep(input, prepared, explain);
    if (step.outcome === 'deny' && !breakGlass) deniedAt ??= 'data_layer';
    steps.push(step);
  }

  // Step 7: dependent requests. Break-glass exempts the caller, not a function's owner: the definer-rights check
  // (an `owner` dependency, Governance I's call-time rule) is a property of the function, so revoking the owner's USAGE
  // stops the function for a super_administrator caller too.
  if (deniedAt !== undefined && !explain) steps.push({ step: 'dependencies', outcome: 'not_evaluated', dependencies: NO_DEPENDENCIES });
  else {
    const step = dependencyStep(input, prepared, options, breakGlass ? 'owner' : undefined, depth);
    if (step.outcome === 'deny') deniedAt ??= 'dependencies';
    steps.push(step);
  }

  const allowed = deniedAt === undefined;
  const decision = {
    allowed,
    breakGlass: breakGlass && allowed,
    deniedAt,
    reason: allowed ? (breakGlass ? 'allowed: super_administrator (break-glass)' : 'allowed') : '',
    principal: principal.name,
    roles: principal.roles ?? NO_ROLES,
    action: prepared.action.name,
    resource: prepared.resource,
    steps,
  };
  if (!allowed) decision.reason = describeDenial(decision);
  return decision;
}

const NO_BOUNDARIES: readonly BoundaryVerdict[] = Object.freeze([]);
const NO_STATEMENTS: readonly StatementReference[] = Object.freeze([]);
const NO_DEPENDENCIES: readonly DependencyVerdict[] = Object.freeze([]);
const NO_ROLES: readonly string[] = Object.freeze([]);

function boundaryStep(boundaries: readonly AttachedPolicy[], request: PreparedRequest, explain: boolean): DecisionStep {
  if (boundaries.length === 0) return { step: 'boundary', outcome: 'not_applicable', boundaries: NO_BOUNDARIES };
  const verdicts: BoundaryVerdict[] = [];
  let outside = false;
  for (const boundary of boundaries) {
    const deniedBy = matchingStatementsOf(boundary, 'Deny', request, explain);
    const allowedBy = deniedBy.length > 0 && !explain ? NO_STATEMENTS : matchingStatementsOf(boundary, 'Allow', request, explain);
    const inside = deniedBy.length === 0 && allowedBy.length > 0;
    verdicts.push({ policy: boundary.policy.name, attachedTo: boundary.attachedTo, inside, deniedBy, allowedBy });
    if (!inside) {
      outside = true;
      if (!explain) break;
    }
  }
  return { step: 'boundary', outcome: outside ? 'deny' : 'pass', boundaries: verdicts };
}

function dataLayerStep(input: AuthorizationInput, request: PreparedRequest, explain: boolean): DecisionStep {
  const check = request.action.dataLayer;
  if (check === 'none') return { step: 'data_layer', outcome: 'not_applicable', grant: undefined, missing: undefined, statements: [] };
  if (check === 'object' && !input.objectPrivilegesEnabled) return { step: 'data_layer', outcome: 'skipped', grant: undefined, missing: undefined, statements: [] };
  const answer = 'answer' in input.objectPrivilege ? input.objectPrivilege.answer() : input.objectPrivilege;
  const statements = answer.allowed && !explain ? NO_STATEMENTS : matchingStatements(input.policies, 'Allow', request, explain, 'data');
  const allowed = answer.allowed || statements.length > 0;
  return { step: 'data_layer', outcome: allowed ? 'pass' : 'deny', grant: answer.allowed ? answer.grant : undefined, missing: answer.allowed ? undefined : answer.missing, statements };
}

function dependencyStep(input: AuthorizationInput, request: PreparedRequest, options: AuthorizeOptions, only: DependentAction['as'] | undefined, depth: number): DecisionStep {
  const supplied = input.dependencies ?? NO_SUPPLIED;
  const required = request.action.requiredDependencies;
  let verdicts: DependencyVerdict[] | undefined;
  let denied = false;
  for (const dependent of required) {
    if (only !== undefined && dependent.as !== only) continue;
    let found = false;
    for (const dependency of supplied) if (dependency.as === dependent.as && dependency.input.request.action === dependent.action) found = true;
    if (!found) {
      (verdicts ??= []).push({ action: dependent.action as ActionName, as: dependent.as, decision: undefined });
      denied = true;
    }
  }
  for (const dependency of supplied) {
    if (only !== undefined && dependency.as !== only) continue;
    if (denied && options.explain !== true) break;
    const decision = authorizeAtDepth(dependency.input, options, depth + 1);
    (verdicts ??= []).push({ action: decision.action, as: dependency.as, decision });
    if (!decision.allowed) denied = true;
  }
  if (verdicts === undefined) return { step: 'dependencies', outcome: 'not_applicable', dependencies: NO_DEPENDENCIES };
  return { step: 'dependencies', outcome: denied ? 'deny' : 'pass', dependencies: verdicts };
}

const NO_SUPPLIED: readonly AuthorizationDependency[] = Object.freeze([]);
