/**
 * lakefn's policy engine (Governance II): the action catalog, resource names, IAM-style policy documents with explicit
 * Deny and boundaries, the managed policies, and the one combination function of issue 12's evaluation steps. Pure and
 * store-independent: the caller brings compiled policies, boundaries and the object-privilege answer.
 *
 * How the one authorization function uses it:
 * 1. Map each statement kind and endpoint to its action once: `const actionFor = defineActionMap<StatementKind>({…})`
 *    (a compile error when a kind is missing).
 * 2. `CREATE POLICY`: `validatePolicyDocument(text)`; refuse when `!ok` (each issue has a JSON path and maybe a
 *    suggestion; `formatPolicyIssue` prints one), show `warnings`. Managed policy names (`isManagedPolicyName`) are
 *    reserved.
 * 3. Per store version: `compilePolicy(name, text)` for every policy read back (it re-validates), cached by name;
 *    `MANAGED_POLICIES[name].compiled` for the managed ones. For a principal: every policy attached to it or to one of
 *    its roles (transitively), plus LakefnFullAccess and LakefnDataFullAccess for members of `admin`, as
 *    `AttachedPolicy` objects (`attachedTo` names the user or role, for the trace).
 * 4. Per request: build the resource with `connectionResource` / `functionResource` / `packageResource` /
 *    `projectResource` (none for account-wide actions), the context (provider, region, the function's connection,
 *    source IP, ViaPackage), the boundaries that apply (the resource's project's, the principal's, its roles'), the
 *    object-privilege answer (a function: it is called only when the data layer runs), the project's OBJECT_PRIVILEGES
 *    switch, and each required dependency (`requiredDependencies(action)`: UseConnection on the target connection for
 *    CreateFunction; for InvokeFunction, UseConnection on the function's connection decided for the function's owner).
 *    Then `authorize(input)`; on `!allowed` raise E_ACCESS_DENIED with `decision.reason` and audit the decision.
 * 5. `EXPLAIN AUTHORIZATION`: `explainDecision(authorize(input, { explain: true }))`, or the decision as JSON.
 */
export {
  ACCESS_LEVELS,
  ACTION_CATALOG,
  ACTION_NAMES,
  ACTIONS,
  actionDefinition,
  defineActionMap,
  findAction,
  requiredDependencies,
  type AccessLevel,
  type ActionDefinition,
  type ActionName,
  type DataLayerCheck,
  type DependentAction,
  type ResourceScope,
} from './action-catalog.ts';
export { CONDITION_KEY_NAMES, CONDITION_KEYS, GLOBAL_CONDITION_KEYS, type ConditionKeyName, type ConditionValueType } from './condition-keys.ts';
export { CONDITION_OPERATOR_NAMES, CONDITION_OPERATORS, type ConditionOperatorName } from './condition-operators.ts';
export {
  connectionResource,
  formatResourceName,
  functionResource,
  packageResource,
  parseResourceName,
  projectResource,
  RESOURCE_TYPES,
  type ResourceName,
  type ResourceType,
} from './resource-name.ts';
export { POLICY_LIMITS } from './policy-limits.ts';
export type { PolicyDocument, PolicyStatement } from './policy-document.ts';
export { formatPolicyIssue, type PolicyIssue } from './analyze-policy-document.ts';
export { compilePolicy, invalidPolicyError, validatePolicyDocument, type CompiledPolicy, type PolicyLayer, type PolicyValidation } from './compile-policy.ts';
export type { AuthorizationRequest, RequestContext } from './authorization-request.ts';
export type { AttachedPolicy, PolicyAttachment, StatementReference } from './evaluate-policy.ts';
export {
  authorize,
  type AuthorizationDecision,
  type AuthorizationDependency,
  type AuthorizationInput,
  type AuthorizationPrincipal,
  type AuthorizeOptions,
  type BoundaryVerdict,
  type DecisionStep,
  type DecisionStepName,
  type DependencyVerdict,
  type ObjectPrivilegeAnswer,
  type ObjectPrivilegeSource,
  type StepOutcome,
} from './authorize.ts';
export { explainDecision } from './explain-decision.ts';
export { isManagedPolicyName, MANAGED_POLICIES, MANAGED_POLICY_NAMES, type ManagedPolicy, type ManagedPolicyName } from './managed-policies.ts';
export { ACTION_REFERENCE_PATH, renderActionReference } from './render-action-reference.ts';
