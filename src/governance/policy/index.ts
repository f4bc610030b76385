/**
 * lakefn's policy engine (Governance II): the action catalog, resource names, IAM-style policy documents with explicit
 * Deny and boundaries, the managed policies, and the one combination function of issue 12's evaluation steps. Pure and
 * store-independent: the caller brings compiled policies, boundaries and the object-privilege answer.
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
  type StepOutcome,
} from './authorize.ts';
export { explainDecision } from './explain-decision.ts';
export { isManagedPolicyName, MANAGED_POLICIES, MANAGED_POLICY_NAMES, type ManagedPolicy, type ManagedPolicyName } from './managed-policies.ts';
export { ACTION_REFERENCE_PATH, renderActionReference } from './render-action-reference.ts';
