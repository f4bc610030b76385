import { CONDITION_KEY_NAMES, GLOBAL_CONDITION_KEYS, type ConditionKeyName } from './condition-keys.ts';
import type { ResourceType } from './resource-name.ts';

/** Huawei's access levels: what kind of operation an action is. */
export const ACCESS_LEVELS = ['list', 'read', 'write', 'permission_management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** A resource type the action applies to, or `account` when the request names no resource (then only `"Resource": "*"` matches it). */
export type ResourceScope = ResourceType | 'account';

/**
 * Whether the data layer (step 6: object privilege OR coarse managed data policy) decides this action too:
 * - `object`: an action on a data object (connection, function); skipped when the resource's project has
 *   `OBJECT_PRIVILEGES = OFF`;
 * - `always`: permission management and other governance (grants, ownership, policies, boundaries, packages, users,
 *   roles, tokens, audit): checked whatever the switch says, as DLF does;
 * - `none`: the API layer alone decides (catalog listings whose rows are filtered by visibility, SHOW ACTIONS,
 *   EXPLAIN AUTHORIZATION).
 */
export type DataLayerCheck = 'object' | 'always' | 'none';

/** An action the request also needs, evaluated through the same steps (boundary, Deny, API layer, data layer). */
export interface DependentAction {
  readonly action: string;
  /** Whose permission: the caller's, or (definer rights) the owner's of the function involved. */
  readonly as: 'caller' | 'owner';
  /** The resource the dependent request names. */
  readonly on: string;
  /** Only in this case; absent = always required (`authorize` denies when a required dependency is not supplied). */
  readonly when?: string;
}

export interface ActionDefinitionShape {
  readonly name: `lakefn:${string}`;
  readonly description: string;
  readonly level: AccessLevel;
  readonly resources: readonly ResourceScope[];
  /** Action-specific condition keys; the global keys (GLOBAL_CONDITION_KEYS) apply to every action. */
  readonly conditionKeys: readonly ConditionKeyName[];
  readonly dependentActions: readonly DependentAction[];
  readonly dataLayer: DataLayerCheck;
  /** The statements, CLI commands and HTTP endpoints that perform it. */
  readonly covers: readonly string[];
  /** Runs a function: included in LakefnDataReadOnlyAccess ("read and execute") beside the list and read actions. */
  readonly executes?: true;
}

const CONNECTION_KEYS = ['lakefn:Project', 'lakefn:ConnectionName', 'lakefn:Provider', 'lakefn:Region'] as const satisfies readonly ConditionKeyName[];
const FUNCTION_KEYS = ['lakefn:Project', 'lakefn:FunctionName', 'lakefn:ConnectionName', 'lakefn:Provider', 'lakefn:Region'] as const satisfies readonly ConditionKeyName[];
const PROJECT_KEYS = ['lakefn:Project'] as const satisfies readonly ConditionKeyName[];
const GRANTABLE: readonly ResourceScope[] = ['project', 'connection', 'function', 'package'];
const GRANT_KEYS = ['lakefn:Project', 'lakefn:ConnectionName', 'lakefn:FunctionName'] as const satisfies readonly ConditionKeyName[];
const REPLACES = (action: string): DependentAction => ({ action, as: 'caller', on: 'the object being replaced', when: 'OR REPLACE replaces an existing object' });

/**
 * Every action lakefn's API exposes. Each SQL statement, CLI command and HTTP endpoint maps to exactly one of them
 * (the `covers` column); `SHOW ACTIONS` prints this table and docs/authorization-actions.md is generated from it.
 * Not actions: `/healthz` (unauthenticated liveness), `lakefn mock` and `lakefn demo` (no catalog), `--as`
 * (only the local super administrator may; an authentication rule) and `X-Lakefn-On-Behalf-Of` (needs the built-in
 * `engine` role; the call itself is then authorized as the end user).
 */
export const ACTION_CATALOG = [
  // projects
  { name: 'lakefn:CreateProject', description: 'Create a project.', level: 'write', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['CREATE PROJECT'] },
  { name: 'lakefn:DropProject', description: 'Drop a project (CASCADE drops its objects).', level: 'write', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['DROP PROJECT'] },
  { name: 'lakefn:AlterProject', description: 'Change a project, including its OBJECT_PRIVILEGES switch.', level: 'permission_management', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['ALTER PROJECT … SET OBJECT_PRIVILEGES'] },
  { name: 'lakefn:ListProjects', description: 'List the projects the principal can see.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'none', covers: ['SHOW PROJECTS'] },
  { name: 'lakefn:UseProject', description: 'Make a project the current one.', level: 'read', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'none', covers: ['USE PROJECT', '--project / LAKEFN_PROJECT'] },
  // connections
  {
    name: 'lakefn:CreateConnection',
    description: 'Create an API CONNECTION (the data layer checks CREATE CONNECTION on the project).',
    level: 'write',
    resources: ['connection'],
    conditionKeys: CONNECTION_KEYS,
    dependentActions: [REPLACES('lakefn:DropConnection')],
    dataLayer: 'object',
    covers: ['CREATE API CONNECTION', 'lakefn connection create'],
  },
  { name: 'lakefn:DescribeConnection', description: 'Show a connection: fields, external ID, status, trust and permission policies (never secrets).', level: 'read', resources: ['connection'], conditionKeys: CONNECTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['DESC API CONNECTION', 'lakefn connection desc'] },
  { name: 'lakefn:ListConnections', description: 'List the connections of a project the principal can see.', level: 'list', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'none', covers: ['SHOW API CONNECTIONS', 'lakefn connection list'] },
  { name: 'lakefn:AlterConnection', description: 'Change connection fields (the external ID is kept). Provider and Region are the values after the change.', level: 'write', resources: ['connection'], conditionKeys: CONNECTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['ALTER API CONNECTION … SET', 'lakefn connection alter'] },
  { name: 'lakefn:RotateExternalId', description: "Give a connection a new external ID.", level: 'write', resources: ['connection'], conditionKeys: CONNECTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['ALTER API CONNECTION … ROTATE EXTERNAL_ID', 'lakefn connection rotate'] },
  { name: 'lakefn:ValidateConnection', description: "Check the connection's role (AssumeRole with and without the external ID) and store the status.", level: 'write', resources: ['connection'], conditionKeys: CONNECTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['VALIDATE API CONNECTION', 'lakefn connection validate'] },
  {
    name: 'lakefn:DropConnection',
    description: 'Drop a connection.',
    level: 'write',
    resources: ['connection'],
    conditionKeys: CONNECTION_KEYS,
    dependentActions: [{ action: 'lakefn:DropFunction', as: 'caller', on: 'each function bound to the connection', when: 'CASCADE' }],
    dataLayer: 'object',
    covers: ['DROP API CONNECTION', 'lakefn connection drop'],
  },
  { name: 'lakefn:UseConnection', description: "Bind functions to a connection (USAGE); at call time the function owner's USAGE.", level: 'write', resources: ['connection'], conditionKeys: CONNECTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['(dependent of CreateFunction and InvokeFunction)'] },
  // functions
  {
    name: 'lakefn:CreateFunction',
    description: 'Create an EXTERNAL FUNCTION (the data layer checks CREATE FUNCTION on the project).',
    level: 'write',
    resources: ['function'],
    conditionKeys: FUNCTION_KEYS,
    dependentActions: [{ action: 'lakefn:UseConnection', as: 'caller', on: 'the connection the function names' }, REPLACES('lakefn:DropFunction')],
    dataLayer: 'object',
    covers: ['CREATE EXTERNAL FUNCTION'],
  },
  { name: 'lakefn:DescribeFunction', description: 'Show a function: signature, connection, cloud function and properties.', level: 'read', resources: ['function'], conditionKeys: FUNCTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['DESC FUNCTION', 'lakefn function desc'] },
  { name: 'lakefn:ListFunctions', description: 'List the functions of a project the principal can see.', level: 'list', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'none', covers: ['SHOW FUNCTIONS', 'lakefn function list'] },
  { name: 'lakefn:DropFunction', description: 'Drop a function.', level: 'write', resources: ['function'], conditionKeys: FUNCTION_KEYS, dependentActions: [], dataLayer: 'object', covers: ['DROP FUNCTION', 'lakefn function drop'] },
  {
    name: 'lakefn:InvokeFunction',
    description: "Call a function (EXECUTE). Definer rights: the function owner's USAGE on its connection is checked too.",
    level: 'write',
    resources: ['function'],
    conditionKeys: [...FUNCTION_KEYS, 'lakefn:ViaPackage'],
    dependentActions: [{ action: 'lakefn:UseConnection', as: 'owner', on: "the function's connection" }],
    dataLayer: 'object',
    covers: ['lakefn invoke', 'lakefn query', 'POST /v1/functions/{name}/evaluate', 'POST /compat/{format}/{name}', 'the in-process UDF hook and DuckDB'],
    executes: true,
  },
  { name: 'lakefn:ReadFunctionHistory', description: 'Read per-function invocation history (with the function: one function; with the project: all of it).', level: 'read', resources: ['project', 'function'], conditionKeys: ['lakefn:Project', 'lakefn:FunctionName'], dependentActions: [], dataLayer: 'always', covers: ['SHOW FUNCTION HISTORY'] },
  // principals
  { name: 'lakefn:CreateUser', description: 'Create a user.', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['CREATE USER'] },
  { name: 'lakefn:DropUser', description: 'Drop a user.', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['DROP USER'] },
  { name: 'lakefn:ListUsers', description: 'List users.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['SHOW USERS'] },
  { name: 'lakefn:CreateRole', description: 'Create a role.', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['CREATE ROLE'] },
  { name: 'lakefn:DropRole', description: 'Drop a role.', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['DROP ROLE'] },
  { name: 'lakefn:ListRoles', description: 'List roles.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['SHOW ROLES'] },
  { name: 'lakefn:GrantRole', description: 'Grant a role to a user or a role.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['GRANT ROLE'] },
  { name: 'lakefn:RevokeRole', description: 'Revoke a role from a user or a role.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['REVOKE ROLE'] },
  { name: 'lakefn:CreateToken', description: 'Issue an API token for a user (printed once).', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['ALTER USER … ADD TOKEN'] },
  { name: 'lakefn:RevokeToken', description: "Revoke a user's API token.", level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['ALTER USER … REVOKE TOKEN'] },
  { name: 'lakefn:ListTokens', description: 'List API tokens (id, prefix, dates; never the token).', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['SHOW TOKENS'] },
  { name: 'lakefn:SetOidcSubject', description: 'Bind a user to an OpenID Connect issuer and subject.', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['ALTER USER … SET OIDC_SUBJECT'] },
  // object privileges
  { name: 'lakefn:Grant', description: 'Grant a privilege on an object (READ on an installed package included).', level: 'permission_management', resources: GRANTABLE, conditionKeys: GRANT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['GRANT … ON … TO'] },
  { name: 'lakefn:Revoke', description: 'Revoke a privilege on an object.', level: 'permission_management', resources: GRANTABLE, conditionKeys: GRANT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['REVOKE … ON … FROM'] },
  { name: 'lakefn:TransferOwnership', description: "Transfer an object's ownership.", level: 'permission_management', resources: GRANTABLE, conditionKeys: GRANT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['GRANT OWNERSHIP ON … TO'] },
  { name: 'lakefn:ListGrants', description: 'List the grants on an object, or (account-wide) those held by a user or role.', level: 'list', resources: [...GRANTABLE, 'account'], conditionKeys: GRANT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['SHOW GRANTS ON …', 'SHOW GRANTS TO …'] },
  // policies and boundaries
  { name: 'lakefn:CreatePolicy', description: 'Create or replace a policy.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['CREATE [OR REPLACE] POLICY'] },
  { name: 'lakefn:DropPolicy', description: 'Drop a policy.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['DROP POLICY'] },
  { name: 'lakefn:AttachPolicy', description: 'Attach a policy to a user or role.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['ATTACH POLICY'] },
  { name: 'lakefn:DetachPolicy', description: 'Detach a policy from a user or role.', level: 'permission_management', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['DETACH POLICY'] },
  { name: 'lakefn:ListPolicies', description: 'List policies.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['SHOW POLICIES'] },
  { name: 'lakefn:DescribePolicy', description: "Show a policy's document and attachments.", level: 'read', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['DESC POLICY'] },
  { name: 'lakefn:SetBoundary', description: 'Set a boundary on a project (project resource) or on a user or role (account-wide).', level: 'permission_management', resources: ['project', 'account'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['SET BOUNDARY'] },
  { name: 'lakefn:UnsetBoundary', description: 'Remove a boundary.', level: 'permission_management', resources: ['project', 'account'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['UNSET BOUNDARY'] },
  { name: 'lakefn:ListBoundaries', description: 'List boundaries.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['SHOW BOUNDARIES'] },
  { name: 'lakefn:ListActions', description: 'Print this action catalog.', level: 'list', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'none', covers: ['SHOW ACTIONS'] },
  {
    name: 'lakefn:ExplainAuthorization',
    description: 'Explain the authorization of a statement without running it.',
    level: 'read',
    resources: ['account'],
    conditionKeys: [],
    dependentActions: [{ action: 'lakefn:ListGrants', as: 'caller', on: 'the account', when: 'FOR USER names another principal' }],
    dataLayer: 'none',
    covers: ['EXPLAIN AUTHORIZATION', 'lakefn authz explain'],
  },
  // packages, provider side
  { name: 'lakefn:CreatePackage', description: 'Create a package in the provider project.', level: 'write', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['CREATE PACKAGE'] },
  { name: 'lakefn:DropPackage', description: 'Drop a package (installations stop at the next batch).', level: 'write', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['DROP PACKAGE'] },
  {
    name: 'lakefn:AddPackageFunction',
    description: 'Add a function to a package WITH PRIVILEGES (EXECUTE).',
    level: 'permission_management',
    resources: ['package'],
    conditionKeys: ['lakefn:Project', 'lakefn:FunctionName'],
    dependentActions: [{ action: 'lakefn:Grant', as: 'caller', on: 'the function added (owner or EXECUTE WITH GRANT OPTION)' }],
    dataLayer: 'always',
    covers: ['ADD FUNCTION … TO PACKAGE'],
  },
  { name: 'lakefn:RemovePackageFunction', description: 'Remove a function from a package.', level: 'permission_management', resources: ['package'], conditionKeys: ['lakefn:Project', 'lakefn:FunctionName'], dependentActions: [], dataLayer: 'always', covers: ['REMOVE FUNCTION … FROM PACKAGE'] },
  { name: 'lakefn:AllowPackageInstall', description: 'Allow a project to install a package (USING LABEL).', level: 'permission_management', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['ALLOW PROJECT … TO INSTALL PACKAGE'] },
  { name: 'lakefn:DisallowPackageInstall', description: 'Withdraw a project’s permission to install a package.', level: 'permission_management', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['DISALLOW PROJECT … TO INSTALL PACKAGE'] },
  { name: 'lakefn:ListPackages', description: 'List the packages of a project (created and installed).', level: 'list', resources: ['project'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'none', covers: ['SHOW PACKAGES'] },
  { name: 'lakefn:DescribePackage', description: 'Show a package: objects, allowed projects, installations.', level: 'read', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['DESC PACKAGE'] },
  {
    name: 'lakefn:SetLabel',
    description: "Set a function's sensitivity label (0-9): a project allowed a package USING LABEL n reaches its functions labelled at most n.",
    level: 'permission_management',
    resources: ['function'],
    conditionKeys: ['lakefn:Project', 'lakefn:FunctionName'],
    dependentActions: [],
    dataLayer: 'always',
    covers: ['SET LABEL … TO FUNCTION'],
  },
  // packages, consumer side (the resource is the provider's package)
  { name: 'lakefn:InstallPackage', description: "Install a provider's package into the current project.", level: 'write', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['INSTALL PACKAGE'] },
  { name: 'lakefn:UninstallPackage', description: 'Uninstall a package from the current project.', level: 'write', resources: ['package'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['UNINSTALL PACKAGE'] },
  // audit, monitoring, store
  { name: 'lakefn:ReadAudit', description: 'List audit records (of a project, or account-wide).', level: 'read', resources: ['project', 'account'], conditionKeys: PROJECT_KEYS, dependentActions: [], dataLayer: 'always', covers: ['lakefn audit list'] },
  { name: 'lakefn:VerifyAudit', description: 'Verify the audit hash chain.', level: 'read', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['lakefn audit verify'] },
  { name: 'lakefn:PruneAudit', description: 'Delete audit records before a time (itself audited).', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['lakefn audit prune'] },
  { name: 'lakefn:ReadMetrics', description: 'Read the Prometheus metrics of `lakefn serve`.', level: 'read', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['GET /metrics'] },
  { name: 'lakefn:RotateStoreKey', description: 'Re-key the catalog store (row MACs, secrets at rest).', level: 'write', resources: ['account'], conditionKeys: [], dependentActions: [], dataLayer: 'always', covers: ['lakefn store rotate-key'] },
] as const satisfies readonly ActionDefinitionShape[];

/** The name of an action, e.g. `'lakefn:CreateConnection'`: a closed union, so maps over it are checked exhaustively. */
export type ActionName = (typeof ACTION_CATALOG)[number]['name'];

/** One catalog entry, with the global condition keys merged into `conditionKeys`. */
export interface ActionDefinition extends Omit<ActionDefinitionShape, 'name' | 'conditionKeys'> {
  readonly name: ActionName;
  /** Dense index in ACTION_CATALOG (used by compiled policies). */
  readonly ordinal: number;
  /** Every key the action supports, the global keys included. */
  readonly conditionKeys: readonly ConditionKeyName[];
  /** `conditionKeys` by CONDITION_KEY_NAMES index: whether the key at that index is supported (read per decision). */
  readonly supportsKey: readonly boolean[];
  /** The dependent actions without a `when`: `authorize` denies when one of them is not supplied. */
  readonly requiredDependencies: readonly DependentAction[];
}

export const ACTION_NAMES: readonly ActionName[] = ACTION_CATALOG.map((entry) => entry.name);

export const ACTIONS: readonly ActionDefinition[] = ACTION_CATALOG.map((entry, ordinal): ActionDefinition => {
  const conditionKeys = [...new Set<ConditionKeyName>([...entry.conditionKeys, ...GLOBAL_CONDITION_KEYS])];
  return {
    ...(entry as ActionDefinitionShape),
    name: entry.name,
    ordinal,
    conditionKeys,
    supportsKey: CONDITION_KEY_NAMES.map((key) => conditionKeys.includes(key)),
    requiredDependencies: (entry.dependentActions as readonly DependentAction[]).filter((dependent) => dependent.when === undefined),
  };
});

const BY_NAME = new Map<string, ActionDefinition>(ACTIONS.map((definition) => [definition.name, definition]));

/** The catalog entry of an action name; undefined for a name outside the catalog (names are case-sensitive here). */
export function findAction(name: string): ActionDefinition | undefined {
  return BY_NAME.get(name);
}

/** The catalog entry of a known action. */
export function actionDefinition(name: ActionName): ActionDefinition {
  const definition = BY_NAME.get(name);
  if (definition === undefined) throw new Error(`action ${name} is missing from ACTIONS`);
  return definition;
}

/** Dependent actions `authorize` requires the caller to supply (those without a `when`). */
export function requiredDependencies(action: ActionName): readonly DependentAction[] {
  return actionDefinition(action).requiredDependencies;
}

/**
 * Builds the statement-kind → action function with a compile-time exhaustive map: every kind of `Kind` must be a key
 * (a missing or misspelled kind, or an unknown action name, is a type error).
 * @example const actionFor = defineActionMap<StatementKind>({ 'create-connection': 'lakefn:CreateConnection', … });
 */
export function defineActionMap<Kind extends string>(map: { readonly [K in Kind]: ActionName }): (kind: Kind) => ActionDefinition {
  const resolved = new Map<string, ActionDefinition>(Object.entries<ActionName>(map).map(([kind, action]) => [kind, actionDefinition(action)]));
  return (kind) => {
    const definition = resolved.get(kind);
    if (definition === undefined) throw new Error(`no action is mapped for ${kind}`);
    return definition;
  };
}
