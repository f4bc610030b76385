/**
 * The governance records the catalog stores (Governance I): projects, principals (users and roles), role
 * memberships and object grants. Ownership is not a grant: it is the `owner_id` column of each project, connection
 * and function row, covered by the row's MAC like every other column.
 */

/** The kinds of object a privilege is granted on. */
export const GRANT_OBJECT_KINDS = ['project', 'connection', 'function'] as const;
export type GrantObjectKind = (typeof GRANT_OBJECT_KINDS)[number];

/** The grantable privileges, per object kind (OWNERSHIP is transferred with GRANT OWNERSHIP, never granted as a row). */
export const PRIVILEGES_BY_KIND = {
  project: ['CREATE CONNECTION', 'CREATE FUNCTION', 'MONITOR'],
  connection: ['USAGE', 'DESCRIBE'],
  function: ['EXECUTE'],
} as const satisfies Readonly<Record<GrantObjectKind, readonly string[]>>;

export type Privilege = (typeof PRIVILEGES_BY_KIND)[GrantObjectKind][number];

export const PRIVILEGES: readonly Privilege[] = [...new Set<Privilege>(Object.values(PRIVILEGES_BY_KIND).flat())];

export type PrincipalKind = 'user' | 'role';

/** A user or a role. Built-in roles have fixed ids (see BUILT_IN_ROLE_IDS) and are created by the migration. */
export interface PrincipalRecord {
  readonly id: string;
  readonly kind: PrincipalKind;
  /** Lower-cased unless quoted, like every SQL identifier; never contains ':' (reserved for `local:<os user>`). */
  readonly name: string;
  readonly builtIn: boolean;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** The container of connections and functions (the MaxCompute term). */
export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  /** The principal (user or role) that owns the project. */
  readonly ownerId: string;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** `GRANT ROLE role TO USER|ROLE member`. */
export interface RoleGrantRecord {
  readonly roleId: string;
  readonly memberId: string;
  /** Who granted it, as the audit log names principals (`alice`, `local:root`). */
  readonly grantedBy: string;
  readonly createdAt: string;
}

/**
 * `GRANT privilege ON kind object TO USER|ROLE grantee [WITH GRANT OPTION]`. `grantorId` is the principal whose
 * authority the grant rests on: the object's owner when an owner or an administrator granted it, otherwise the
 * principal that holds the privilege WITH GRANT OPTION (REVOKE … CASCADE | RESTRICT follows these links).
 */
export interface GrantRecord {
  readonly id: string;
  readonly objectKind: GrantObjectKind;
  readonly objectId: string;
  readonly privilege: Privilege;
  readonly granteeId: string;
  readonly grantorId: string;
  readonly grantOption: boolean;
  readonly createdAt: string;
}

/** Where a connection or function lives and who owns it (columns of its row, covered by its MAC). */
export interface ObjectPlacement {
  readonly projectId: string;
  readonly ownerId: string;
}

/** A catalog object with its placement. */
export interface Placed<T> extends ObjectPlacement {
  readonly record: T;
}

export const BUILT_IN_ROLE_NAMES = ['super_administrator', 'admin', 'auditor', 'engine', 'public'] as const;
export type BuiltInRoleName = (typeof BUILT_IN_ROLE_NAMES)[number];

/** Fixed ids of the built-in roles and of the project `default`, so migrations and code agree on them. */
export const BUILT_IN_ROLE_IDS: Readonly<Record<BuiltInRoleName, string>> = {
  super_administrator: '00000000-0000-4000-8000-000000000001',
  admin: '00000000-0000-4000-8000-000000000002',
  auditor: '00000000-0000-4000-8000-000000000003',
  engine: '00000000-0000-4000-8000-000000000004',
  public: '00000000-0000-4000-8000-000000000005',
};

export const DEFAULT_PROJECT_NAME = 'default';
export const DEFAULT_PROJECT_ID = '00000000-0000-4000-8000-000000000100';

/**
 * A per-user API token for `lakefn serve` (`ALTER USER u ADD TOKEN`). The token itself is never stored: only its
 * SHA-256 (`tokenHash`, hex) and the first characters shown to tell tokens apart (`prefix`). Revocation deletes the row.
 */
export interface ApiTokenRecord {
  /** `tk` and 16 hex digits: what SHOW TOKENS lists and REVOKE TOKEN names. */
  readonly id: string;
  readonly userId: string;
  /** `lakefn_` and the first characters of the secret part (never enough to use it). */
  readonly prefix: string;
  readonly tokenHash: string;
  readonly comment: string | null;
  /** Who issued it, as the audit log names principals. */
  readonly createdBy: string;
  readonly createdAt: string;
  /** Null: never expires. */
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
}

/** `ALTER USER u SET OIDC_SUBJECT = 'issuer|sub'`: the OpenID Connect identity that authenticates as the user. */
export interface OidcSubjectRecord {
  readonly userId: string;
  /** `issuer|sub`, unique across users. */
  readonly subject: string;
  readonly createdAt: string;
}
