import type { ConnectionFields } from '../spec/connection-record.ts';
import type { FunctionArgument, FunctionProperties } from '../spec/function-record.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { SqlType } from '../spec/sql-type.ts';
import type { GrantObjectKind, PrincipalKind, Privilege } from '../spec/governance-records.ts';

/** 1-based position of a statement's first token (or of an offending token in errors). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** What every statement carries: where it starts and its source text (without the trailing `;`). */
interface StatementBase {
  readonly position: SourcePosition;
  readonly text: string;
}

/**
 * The project a connection or function name was qualified with (`project.name`); absent or null: the current project.
 * A function name `a.b` without it names function `b` of project `a` when that project exists, else function `a.b`
 * (schema `a`) of the current project; `p.a.b` is always function `a.b` of project `p`.
 */
interface ProjectQualified {
  readonly project?: string | null;
}

/**
 * `CREATE [OR REPLACE] API CONNECTION [IF NOT EXISTS] name TYPE CLOUD_FUNCTION … [CASCADE]`.
 * `fields` are already validated (provider, region, role ARN, partition, namespace, bucket, comment),
 * with `namespace` defaulted to `default` on clouds without function namespaces. The external ID is never part of a statement.
 */
export interface CreateConnectionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'create-connection';
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /**
   * OR REPLACE only: drop the functions the replacement does not fit (a provider change: all that use it) instead
   * of refusing the statement.
   */
  readonly cascade: boolean;
  readonly fields: ConnectionFields;
}

export interface DescribeConnectionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'describe-connection';
  readonly name: string;
}

export interface ShowConnectionsStatement extends StatementBase {
  readonly kind: 'show-connections';
  /** `IN PROJECT p`; absent or null: the current project. */
  readonly project?: string | null;
  /** SQL LIKE pattern (`%`, `_`, no escape character), or null for all. */
  readonly like: string | null;
}

/**
 * The fields an `ALTER … SET` names. Each value passed the provider-independent checks (provider name,
 * control characters, whitespace, length); the executor merges them into the stored record and
 * re-validates the result with `validateConnectionFields` (region vs provider, ARN partition, …).
 * `null` (written `NULL`) clears CODE_BUCKET or COMMENT.
 */
export interface ConnectionFieldChanges {
  readonly provider?: ProviderName;
  readonly region?: string;
  readonly roleArn?: string;
  readonly namespace?: string;
  readonly codeBucket?: string | null;
  readonly comment?: string | null;
}

export interface AlterConnectionSetStatement extends StatementBase, ProjectQualified {
  readonly kind: 'alter-connection-set';
  readonly name: string;
  readonly changes: ConnectionFieldChanges;
}

export interface RotateExternalIdStatement extends StatementBase, ProjectQualified {
  readonly kind: 'rotate-external-id';
  readonly name: string;
}

export interface ValidateConnectionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'validate-connection';
  readonly name: string;
}

export interface DropConnectionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'drop-connection';
  readonly name: string;
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/**
 * `CREATE [OR REPLACE] EXTERNAL FUNCTION [IF NOT EXISTS] [schema.]name(…) RETURNS type … CONNECTION c …`.
 * `properties` are complete (defaults filled in, ranges checked; `nullPolicy` from the
 * RETURNS NULL ON NULL INPUT / CALLED ON NULL INPUT clause or the `null_policy` property).
 * `cloudFunction` / `qualifier` are syntactically split but NOT yet checked against the provider's naming
 * rules: the provider is the connection's, so the executor calls `validateCloudFunctionName` at CREATE time.
 */
export interface CreateFunctionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'create-function';
  /** Lower-cased unless quoted; `schema.name` when a schema was given. */
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly arguments: readonly FunctionArgument[];
  readonly returnType: SqlType;
  readonly connectionName: string;
  /** `CONNECTION p.c`: the connection's project (absent or null: the function's own project). */
  readonly connectionProject?: string | null;
  /** From `AS 'fn[:qualifier]'`; defaults to the SQL name without its schema. */
  readonly cloudFunction: string;
  readonly qualifier: string | null;
  readonly properties: FunctionProperties;
  readonly comment: string | null;
}

export interface DescribeFunctionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'describe-function';
  readonly name: string;
}

export interface ShowFunctionsStatement extends StatementBase {
  readonly kind: 'show-functions';
  /** `IN PROJECT p`; absent or null: the current project. */
  readonly project?: string | null;
  readonly like: string | null;
}

export interface DropFunctionStatement extends StatementBase, ProjectQualified {
  readonly kind: 'drop-function';
  readonly name: string;
  readonly ifExists: boolean;
}

/** `CREATE PROJECT [IF NOT EXISTS] p [COMMENT '…']`. */
export interface CreateProjectStatement extends StatementBase {
  readonly kind: 'create-project';
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly comment: string | null;
}

/** `DROP PROJECT [IF EXISTS] p [CASCADE | RESTRICT]` (RESTRICT, the default, refuses while it holds objects). */
export interface DropProjectStatement extends StatementBase {
  readonly kind: 'drop-project';
  readonly name: string;
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/** `USE PROJECT p`: the current project of the rest of the script. */
export interface UseProjectStatement extends StatementBase {
  readonly kind: 'use-project';
  readonly name: string;
}

/** `CREATE USER|ROLE [IF NOT EXISTS] x [COMMENT '…']`. */
export interface CreatePrincipalStatement<Kind extends 'create-user' | 'create-role' = 'create-user' | 'create-role'> extends StatementBase {
  readonly kind: Kind;
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly comment: string | null;
}

/** `DROP USER|ROLE [IF EXISTS] x`. */
export interface DropPrincipalStatement<Kind extends 'drop-user' | 'drop-role' = 'drop-user' | 'drop-role'> extends StatementBase {
  readonly kind: Kind;
  readonly name: string;
  readonly ifExists: boolean;
}

/** `SHOW PROJECTS | USERS | ROLES [LIKE '…']`. */
export interface ShowGovernanceStatement<Kind extends 'show-projects' | 'show-users' | 'show-roles' = 'show-projects' | 'show-users' | 'show-roles'> extends StatementBase {
  readonly kind: Kind;
  readonly like: string | null;
}

/** A user or role named in GRANT / REVOKE / SHOW GRANTS TO. */
export interface PrincipalReference {
  readonly kind: PrincipalKind;
  readonly name: string;
}

/** `GRANT ROLE r TO USER u | ROLE r2`, `REVOKE ROLE r FROM …`. */
export interface RoleMembershipStatement<Kind extends 'grant-role' | 'revoke-role' = 'grant-role' | 'revoke-role'> extends StatementBase {
  readonly kind: Kind;
  readonly role: string;
  readonly member: PrincipalReference;
}

/** A securable named in GRANT / REVOKE / SHOW GRANTS ON: a project, or a (project-qualified) connection or function. */
export interface ObjectReference extends ProjectQualified {
  readonly kind: GrantObjectKind;
  /** For a project, the project's name (and `project` is absent). */
  readonly name: string;
}

/** `GRANT priv[, …] | ALL ON kind name TO USER|ROLE x [WITH GRANT OPTION]`. */
export interface GrantPrivilegeStatement extends StatementBase {
  readonly kind: 'grant-privilege';
  /** The privileges named (ALL expands to every privilege of the object's kind). */
  readonly privileges: readonly Privilege[];
  readonly object: ObjectReference;
  readonly grantee: PrincipalReference;
  readonly grantOption: boolean;
}

/**
 * `REVOKE [GRANT OPTION FOR] priv[, …] | ALL ON kind name FROM USER|ROLE x [CASCADE | RESTRICT]`: RESTRICT (the
 * default) refuses when grants made on the authority of the revoked grant depend on it; CASCADE revokes them too.
 */
export interface RevokePrivilegeStatement extends StatementBase {
  readonly kind: 'revoke-privilege';
  readonly privileges: readonly Privilege[];
  readonly object: ObjectReference;
  readonly grantee: PrincipalReference;
  /** GRANT OPTION FOR: only the right to grant further is revoked. */
  readonly grantOptionOnly: boolean;
  readonly cascade: boolean;
}

/** `GRANT OWNERSHIP ON kind name TO USER|ROLE x` (owner or admin). */
export interface GrantOwnershipStatement extends StatementBase {
  readonly kind: 'grant-ownership';
  readonly object: ObjectReference;
  readonly grantee: PrincipalReference;
}

/** `SHOW GRANTS ON kind name`. */
export interface ShowGrantsOnStatement extends StatementBase {
  readonly kind: 'show-grants-on';
  readonly object: ObjectReference;
}

/** `SHOW GRANTS TO USER|ROLE x`. */
export interface ShowGrantsToStatement extends StatementBase {
  readonly kind: 'show-grants-to';
  readonly grantee: PrincipalReference;
}

/** `SHOW FUNCTION HISTORY [FOR f] [SINCE 'T'] [BY HOUR | DAY]` (EXTERNAL_FUNCTIONS_HISTORY's shape). */
export interface ShowFunctionHistoryStatement extends StatementBase, ProjectQualified {
  readonly kind: 'show-function-history';
  /** The function, or null for every function of the (current) project the principal may see the history of. */
  readonly name: string | null;
  /** ISO-8601 UTC; null: the last 24 hours. */
  readonly since: string | null;
  readonly bucket: 'hour' | 'day';
}

/** `ALTER USER u ADD TOKEN [EXPIRES IN 'P90D'] [COMMENT '…']`: issues an API token, printed once. */
export interface AddTokenStatement extends StatementBase {
  readonly kind: 'add-token';
  readonly user: string;
  /** The ISO-8601 duration as written (`P90D`), and its length from the time of issue; null: never expires. */
  readonly expiresIn: TokenLifetime | null;
  readonly comment: string | null;
}

/** An ISO-8601 duration: years and months are calendar units (added to the date), the rest fixed lengths. */
export interface TokenLifetime {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  /** Weeks, days, hours, minutes and seconds, in milliseconds. */
  readonly milliseconds: number;
}

/** `ALTER USER u REVOKE TOKEN id`: effective for the next request. */
export interface RevokeTokenStatement extends StatementBase {
  readonly kind: 'revoke-token';
  readonly user: string;
  readonly tokenId: string;
}

/** `ALTER USER u SET OIDC_SUBJECT = 'issuer|sub'` (`= NULL`, or `UNSET OIDC_SUBJECT`: unbind). */
export interface SetOidcSubjectStatement extends StatementBase {
  readonly kind: 'set-oidc-subject';
  readonly user: string;
  readonly subject: string | null;
}

/** `SHOW TOKENS [FOR USER u]`: id, prefix, dates; never the token. */
export interface ShowTokensStatement extends StatementBase {
  readonly kind: 'show-tokens';
  /** Null: every user's (administrators, auditor) or one's own. */
  readonly user: string | null;
}

/** `CREATE [OR REPLACE] POLICY p AS '<json>' [COMMENT '…']`: the document is validated at parse time (JSON paths). */
export interface CreatePolicyStatement extends StatementBase {
  readonly kind: 'create-policy';
  readonly name: string;
  readonly orReplace: boolean;
  /** The document's JSON text as written. */
  readonly document: string;
  readonly comment: string | null;
  /** Validation warnings (e.g. a condition key some of a statement's actions do not carry), shown as notices. */
  readonly warnings: readonly string[];
}

/** `ATTACH POLICY p TO USER|ROLE x` and `DETACH POLICY p FROM USER|ROLE x`. */
export interface PolicyAttachmentStatement<Kind extends 'attach-policy' | 'detach-policy' = 'attach-policy' | 'detach-policy'> extends StatementBase {
  readonly kind: Kind;
  readonly policy: string;
  readonly principal: PrincipalReference;
}

/** `SHOW POLICIES [LIKE '…']`, `SHOW BOUNDARIES`, `SHOW ACTIONS [LIKE '…']`. */
export interface ShowPolicyCatalogStatement<Kind extends 'show-policies' | 'show-boundaries' | 'show-actions' = 'show-policies' | 'show-boundaries' | 'show-actions'>
  extends StatementBase {
  readonly kind: Kind;
  readonly like: string | null;
}

export interface DescribePolicyStatement extends StatementBase {
  readonly kind: 'describe-policy';
  readonly name: string;
}

/** `DROP POLICY [IF EXISTS] p [CASCADE]`: refused while attached or used as a boundary, unless CASCADE. */
export interface DropPolicyStatement extends StatementBase {
  readonly kind: 'drop-policy';
  readonly name: string;
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/** What a boundary is set on. */
export interface BoundaryTarget {
  readonly kind: 'project' | 'user' | 'role';
  readonly name: string;
}

/** `SET BOUNDARY ON PROJECT p | USER u | ROLE r AS POLICY x`. */
export interface SetBoundaryStatement extends StatementBase {
  readonly kind: 'set-boundary';
  readonly target: BoundaryTarget;
  readonly policy: string;
}

/** `UNSET BOUNDARY ON PROJECT p | USER u | ROLE r`. */
export interface UnsetBoundaryStatement extends StatementBase {
  readonly kind: 'unset-boundary';
  readonly target: BoundaryTarget;
}

/** `ALTER PROJECT p SET OBJECT_PRIVILEGES = ON|OFF`. */
export interface AlterProjectStatement extends StatementBase {
  readonly kind: 'alter-project';
  readonly name: string;
  readonly objectPrivileges: boolean;
}

/** `EXPLAIN AUTHORIZATION [FOR USER u] <statement>`: the decision, step by step, without running the statement. */
export interface ExplainAuthorizationStatement extends StatementBase {
  readonly kind: 'explain-authorization';
  /** The user to explain for; null: the caller. */
  readonly user: string | null;
  readonly statement: Statement;
}

/** A provider's package as a consumer names it: `p.k` (`project` is the provider project). */
export interface ProviderPackageReference {
  readonly project: string;
  readonly name: string;
}

/** `CREATE PACKAGE [IF NOT EXISTS] k [COMMENT '…']` in the current (provider) project. */
export interface CreatePackageStatement extends StatementBase {
  readonly kind: 'create-package';
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly comment: string | null;
}

/** `DROP PACKAGE [IF EXISTS] k`: its installations stop sharing at the next batch of a running query. */
export interface DropPackageStatement extends StatementBase {
  readonly kind: 'drop-package';
  readonly name: string;
  readonly ifExists: boolean;
}

/** `ADD [EXTERNAL] FUNCTION f TO PACKAGE k [WITH PRIVILEGES (EXECUTE)]` (only EXECUTE, only functions, of the package's project). */
export interface AddPackageFunctionStatement extends StatementBase {
  readonly kind: 'add-package-function';
  /** The function's name in the package's project (`name` or `schema.name`). */
  readonly function: string;
  readonly package: string;
  readonly privileges: readonly 'EXECUTE'[];
}

/** `REMOVE [EXTERNAL] FUNCTION f FROM PACKAGE k`. */
export interface RemovePackageFunctionStatement extends StatementBase {
  readonly kind: 'remove-package-function';
  readonly function: string;
  readonly package: string;
}

/** `ALLOW PROJECT q TO INSTALL PACKAGE k [USING LABEL n]`. */
export interface AllowPackageInstallStatement extends StatementBase {
  readonly kind: 'allow-package-install';
  readonly consumer: string;
  readonly package: string;
  /** 0–9 (MaxCompute's sensitivity levels); null when not given. */
  readonly label: number | null;
}

/** `DISALLOW PROJECT q TO INSTALL PACKAGE k`. */
export interface DisallowPackageInstallStatement extends StatementBase {
  readonly kind: 'disallow-package-install';
  readonly consumer: string;
  readonly package: string;
}

/** `SHOW PACKAGES [LIKE '…']`: the packages the current project created and those installed in it. */
export interface ShowPackagesStatement extends StatementBase {
  readonly kind: 'show-packages';
  readonly like: string | null;
}

/** `DESC PACKAGE k` (a package of the current project) or `DESC PACKAGE p.k` (one installed from project p). */
export interface DescribePackageStatement extends StatementBase {
  readonly kind: 'describe-package';
  readonly name: string;
  /** The provider project (`p.k`); null: a package of the current project. */
  readonly project: string | null;
}

/** `INSTALL PACKAGE p.k` / `UNINSTALL PACKAGE p.k` in the current (consumer) project. */
export interface PackageInstallationStatement<Kind extends 'install-package' | 'uninstall-package' = 'install-package' | 'uninstall-package'> extends StatementBase {
  readonly kind: Kind;
  readonly package: ProviderPackageReference;
}

/** `GRANT READ ON PACKAGE p.k TO USER|ROLE x` / `REVOKE READ ON PACKAGE p.k FROM …` in the consumer project. */
export interface PackageReadGrantStatement<Kind extends 'grant-package-read' | 'revoke-package-read' = 'grant-package-read' | 'revoke-package-read'> extends StatementBase {
  readonly kind: Kind;
  readonly package: ProviderPackageReference;
  readonly grantee: PrincipalReference;
}

/**
 * `SET LABEL n TO [EXTERNAL] FUNCTION [p.]f` (MaxCompute's `SET LABEL n TO TABLE t`): the function's sensitivity label,
 * 0–9. A consumer project allowed a package `USING LABEL m` reaches only the package's functions labelled at most m.
 */
export interface SetLabelStatement extends StatementBase, ProjectQualified {
  readonly kind: 'set-label';
  readonly label: number;
  /** The function's name (in `project` when given, else resolved like any function name). */
  readonly name: string;
}

/**
 * `SHOW GRANTS ON PACKAGE p.k` in the consumer project (READ on the installation: who holds it, granted by whom, when),
 * or `SHOW GRANTS ON PACKAGE k` for a package of the current project (its ownership).
 */
export interface ShowPackageGrantsStatement extends StatementBase {
  readonly kind: 'show-package-grants';
  readonly name: string;
  /** The provider project (`p.k`); null: a package of the current project. */
  readonly project: string | null;
}

/** `GRANT OWNERSHIP ON PACKAGE k TO USER|ROLE x` for a package of the current (provider) project. */
export interface GrantPackageOwnershipStatement extends StatementBase {
  readonly kind: 'grant-package-ownership';
  readonly package: string;
  readonly grantee: PrincipalReference;
}

/** Every statement the DDL parser produces. */
export type Statement =
  | CreateConnectionStatement
  | DescribeConnectionStatement
  | ShowConnectionsStatement
  | AlterConnectionSetStatement
  | RotateExternalIdStatement
  | ValidateConnectionStatement
  | DropConnectionStatement
  | CreateFunctionStatement
  | DescribeFunctionStatement
  | ShowFunctionsStatement
  | DropFunctionStatement
  | CreateProjectStatement
  | DropProjectStatement
  | UseProjectStatement
  | CreatePrincipalStatement<'create-user'>
  | CreatePrincipalStatement<'create-role'>
  | DropPrincipalStatement<'drop-user'>
  | DropPrincipalStatement<'drop-role'>
  | ShowGovernanceStatement<'show-projects'>
  | ShowGovernanceStatement<'show-users'>
  | ShowGovernanceStatement<'show-roles'>
  | RoleMembershipStatement<'grant-role'>
  | RoleMembershipStatement<'revoke-role'>
  | GrantPrivilegeStatement
  | RevokePrivilegeStatement
  | GrantOwnershipStatement
  | ShowGrantsOnStatement
  | ShowGrantsToStatement
  | ShowFunctionHistoryStatement
  | AddTokenStatement
  | RevokeTokenStatement
  | SetOidcSubjectStatement
  | ShowTokensStatement
  | CreatePolicyStatement
  | PolicyAttachmentStatement<'attach-policy'>
  | PolicyAttachmentStatement<'detach-policy'>
  | ShowPolicyCatalogStatement<'show-policies'>
  | ShowPolicyCatalogStatement<'show-boundaries'>
  | ShowPolicyCatalogStatement<'show-actions'>
  | DescribePolicyStatement
  | DropPolicyStatement
  | SetBoundaryStatement
  | UnsetBoundaryStatement
  | AlterProjectStatement
  | ExplainAuthorizationStatement
  | CreatePackageStatement
  | DropPackageStatement
  | AddPackageFunctionStatement
  | RemovePackageFunctionStatement
  | AllowPackageInstallStatement
  | DisallowPackageInstallStatement
  | ShowPackagesStatement
  | DescribePackageStatement
  | PackageInstallationStatement<'install-package'>
  | PackageInstallationStatement<'uninstall-package'>
  | PackageReadGrantStatement<'grant-package-read'>
  | PackageReadGrantStatement<'revoke-package-read'>
  | SetLabelStatement
  | ShowPackageGrantsStatement
  | GrantPackageOwnershipStatement;

export type StatementKind = Statement['kind'];

/** A statement without its source position and text (what the per-statement parsers build). */
export type StatementBody<K extends StatementKind = StatementKind> = { [Kind in K]: Omit<Extract<Statement, { kind: Kind }>, 'position' | 'text'> }[K];

export interface ParseOptions {
  /** Accept a syntactically valid region missing from the known-region list (`--allow-unknown-region`). @default false */
  readonly allowUnknownRegion?: boolean;
}

export { parseStatements } from './parse-statements.ts';
