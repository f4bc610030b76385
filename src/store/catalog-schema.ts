/**
 * The catalog schema's SQL, in a dialect both SQLite and PostgreSQL accept (TEXT and INTEGER columns, JSON kept
 * as TEXT, timestamps as ISO-8601 TEXT so both stores hold identical values). The migrations that apply it are in
 * catalog-migrations.ts. Append new migrations; never edit an applied one.
 */
export const MIGRATIONS_TABLE = 'lakefn_migrations';
export const CONNECTIONS_TABLE = 'lakefn_connections';
export const FUNCTIONS_TABLE = 'lakefn_functions';
/**
 * One row (id = 1) of catalog-wide state: the id of the key every row is signed with, the version counter (bumped by
 * every change but audit appends) and the audit chain's ends.
 */
export const CATALOG_STATE_TABLE = 'lakefn_catalog_state';
export const PROJECTS_TABLE = 'lakefn_projects';
export const PRINCIPALS_TABLE = 'lakefn_principals';
export const ROLE_GRANTS_TABLE = 'lakefn_role_grants';
export const GRANTS_TABLE = 'lakefn_grants';
export const AUDIT_TABLE = 'lakefn_audit';
export const API_TOKENS_TABLE = 'lakefn_api_tokens';
export const OIDC_SUBJECTS_TABLE = 'lakefn_oidc_subjects';
export const POLICIES_TABLE = 'lakefn_policies';
export const POLICY_ATTACHMENTS_TABLE = 'lakefn_policy_attachments';
export const BOUNDARIES_TABLE = 'lakefn_boundaries';
export const PROJECT_SETTINGS_TABLE = 'lakefn_project_settings';
export const PACKAGES_TABLE = 'lakefn_packages';
export const PACKAGE_OBJECTS_TABLE = 'lakefn_package_objects';
export const PACKAGE_ALLOWED_TABLE = 'lakefn_package_allowed';
export const PACKAGE_INSTALLS_TABLE = 'lakefn_package_installs';
export const PACKAGE_GRANTS_TABLE = 'lakefn_package_grants';
export const PACKAGE_TABLES = [PACKAGES_TABLE, PACKAGE_OBJECTS_TABLE, PACKAGE_ALLOWED_TABLE, PACKAGE_INSTALLS_TABLE, PACKAGE_GRANTS_TABLE] as const;
export const FUNCTION_LABELS_TABLE = 'lakefn_function_labels';

/** The hash a chain starts from (the `prev_hash` of audit record 1). */
export const GENESIS_HASH = '0'.repeat(64);

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Migration 1: connections keyed by name, functions referencing them by name, connection MAC v1. */
export const SCHEMA_1 = [
  `CREATE TABLE ${CONNECTIONS_TABLE} (
    name TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    region TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    namespace TEXT NOT NULL,
    code_bucket TEXT,
    external_id TEXT NOT NULL UNIQUE,
    comment TEXT,
    status TEXT NOT NULL,
    status_detail TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `CREATE TABLE ${FUNCTIONS_TABLE} (
    name TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    connection_name TEXT NOT NULL REFERENCES ${CONNECTIONS_TABLE} (name),
    arguments TEXT NOT NULL,
    return_type TEXT NOT NULL,
    cloud_function TEXT NOT NULL,
    qualifier TEXT,
    properties TEXT NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL
  )`,
  `CREATE INDEX ${FUNCTIONS_TABLE}_connection ON ${FUNCTIONS_TABLE} (connection_name)`,
] as const;

/**
 * Migration 2: rows keyed by their immutable id, functions referencing their connection by id, every row signed
 * (MAC version, key id, MAC), `allow_unknown_region` recording that a region was accepted although not on the
 * known list (so re-validation on read can apply the same rule). SQLite cannot change a primary key in place, so
 * the tables are rebuilt: new tables, copy, drop the old ones, rename. Copied rows keep their v1 MAC with
 * mac_version 1 until the migration's code step verifies and re-signs them.
 */
export const SCHEMA_2 = [
  `CREATE TABLE ${CONNECTIONS_TABLE}_v2 (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    region TEXT NOT NULL,
    allow_unknown_region INTEGER NOT NULL,
    role_arn TEXT NOT NULL,
    namespace TEXT NOT NULL,
    code_bucket TEXT,
    external_id TEXT NOT NULL UNIQUE,
    comment TEXT,
    status TEXT NOT NULL,
    status_detail TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `INSERT INTO ${CONNECTIONS_TABLE}_v2 (id, name, provider, region, allow_unknown_region, role_arn, namespace, code_bucket, external_id,
      comment, status, status_detail, version, created_at, updated_at, mac_version, mac_key_id, row_mac)
    SELECT id, name, provider, region, 0, role_arn, namespace, code_bucket, external_id,
      comment, status, status_detail, version, created_at, updated_at, 1, '', row_mac
    FROM ${CONNECTIONS_TABLE}`,
  `CREATE TABLE ${FUNCTIONS_TABLE}_v2 (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    connection_id TEXT NOT NULL REFERENCES ${CONNECTIONS_TABLE}_v2 (id),
    arguments TEXT NOT NULL,
    return_type TEXT NOT NULL,
    cloud_function TEXT NOT NULL,
    qualifier TEXT,
    properties TEXT NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `INSERT INTO ${FUNCTIONS_TABLE}_v2 (id, name, connection_id, arguments, return_type, cloud_function, qualifier, properties, comment,
      created_at, mac_version, mac_key_id, row_mac)
    SELECT f.id, f.name, c.id, f.arguments, f.return_type, f.cloud_function, f.qualifier, f.properties, f.comment,
      f.created_at, 0, '', ''
    FROM ${FUNCTIONS_TABLE} f JOIN ${CONNECTIONS_TABLE} c ON c.name = f.connection_name`,
  `DROP TABLE ${FUNCTIONS_TABLE}`,
  `DROP TABLE ${CONNECTIONS_TABLE}`,
  `ALTER TABLE ${CONNECTIONS_TABLE}_v2 RENAME TO ${CONNECTIONS_TABLE}`,
  `ALTER TABLE ${FUNCTIONS_TABLE}_v2 RENAME TO ${FUNCTIONS_TABLE}`,
  `CREATE INDEX ${FUNCTIONS_TABLE}_connection_id ON ${FUNCTIONS_TABLE} (connection_id)`,
  `CREATE TABLE ${CATALOG_STATE_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mac_key_id TEXT NOT NULL,
    key_changed_at TEXT NOT NULL
  )`,
] as const;

/**
 * Migration 3 (Governance I): principals (users and roles, the built-in roles among them), projects, role
 * memberships, object grants, the append-only audit log, and connections and functions placed in a project with an
 * owner (names unique per project). SQLite cannot change a UNIQUE constraint in place, so the two object tables are
 * rebuilt; copied rows keep their v2 MAC until the migration's code step verifies and re-signs them (MAC v3 covers
 * project_id and owner_id). The catalog-state row gains the version counter and the audit chain's ends (first
 * retained record and the hash it links to; last record and its hash) with a MAC over them.
 */
export const SCHEMA_3 = [
  `CREATE TABLE ${PRINCIPALS_TABLE} (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    built_in INTEGER NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (kind, name)
  )`,
  `CREATE TABLE ${PROJECTS_TABLE} (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    owner_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    comment TEXT,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `CREATE TABLE ${ROLE_GRANTS_TABLE} (
    role_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    member_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    granted_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    PRIMARY KEY (role_id, member_id)
  )`,
  `CREATE TABLE ${GRANTS_TABLE} (
    id TEXT PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    privilege TEXT NOT NULL,
    grantee_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    grantor_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    grant_option INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (object_kind, object_id, privilege, grantee_id, grantor_id)
  )`,
  `CREATE INDEX ${GRANTS_TABLE}_object ON ${GRANTS_TABLE} (object_kind, object_id)`,
  `CREATE INDEX ${GRANTS_TABLE}_grantee ON ${GRANTS_TABLE} (grantee_id)`,
  `CREATE TABLE ${AUDIT_TABLE} (
    seq BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    ts TEXT NOT NULL,
    principal TEXT NOT NULL,
    project TEXT,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    mac_key_id TEXT NOT NULL,
    mac TEXT NOT NULL
  )`,
  `CREATE INDEX ${AUDIT_TABLE}_ts ON ${AUDIT_TABLE} (ts)`,
  `CREATE INDEX ${AUDIT_TABLE}_type_ts ON ${AUDIT_TABLE} (event_type, ts)`,
  `CREATE TABLE ${CONNECTIONS_TABLE}_v3 (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES ${PROJECTS_TABLE} (id),
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    provider TEXT NOT NULL,
    region TEXT NOT NULL,
    allow_unknown_region INTEGER NOT NULL,
    role_arn TEXT NOT NULL,
    namespace TEXT NOT NULL,
    code_bucket TEXT,
    external_id TEXT NOT NULL UNIQUE,
    comment TEXT,
    status TEXT NOT NULL,
    status_detail TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (project_id, name)
  )`,
  `CREATE TABLE ${FUNCTIONS_TABLE}_v3 (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES ${PROJECTS_TABLE} (id),
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    connection_id TEXT NOT NULL REFERENCES ${CONNECTIONS_TABLE}_v3 (id),
    arguments TEXT NOT NULL,
    return_type TEXT NOT NULL,
    cloud_function TEXT NOT NULL,
    qualifier TEXT,
    properties TEXT NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (project_id, name)
  )`,
] as const;

/** After the code step of migration 3 has filled the new tables: swap them in. */
export const SCHEMA_3_SWAP = [
  `DROP TABLE ${FUNCTIONS_TABLE}`,
  `DROP TABLE ${CONNECTIONS_TABLE}`,
  `ALTER TABLE ${CONNECTIONS_TABLE}_v3 RENAME TO ${CONNECTIONS_TABLE}`,
  `ALTER TABLE ${FUNCTIONS_TABLE}_v3 RENAME TO ${FUNCTIONS_TABLE}`,
  `CREATE INDEX ${FUNCTIONS_TABLE}_connection_id ON ${FUNCTIONS_TABLE} (connection_id)`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN audit_first_seq BIGINT NOT NULL DEFAULT 1`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN audit_first_prev_hash TEXT NOT NULL DEFAULT '${GENESIS_HASH}'`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN audit_last_seq BIGINT NOT NULL DEFAULT 0`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN audit_last_hash TEXT NOT NULL DEFAULT '${GENESIS_HASH}'`,
  `ALTER TABLE ${CATALOG_STATE_TABLE} ADD COLUMN audit_state_mac TEXT NOT NULL DEFAULT ''`,
] as const;

/**
 * Migration 4 (Governance I, authentication on serve): per-user API tokens, stored as the SHA-256 of the token (never
 * the token), and the OpenID Connect subject (`issuer|sub`) bound to a user, unique across users. Both signed (MAC v3
 * layouts `api-token` and `oidc-subject`).
 */
export const SCHEMA_4 = [
  `CREATE TABLE ${API_TOKENS_TABLE} (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    comment TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `CREATE INDEX ${API_TOKENS_TABLE}_user ON ${API_TOKENS_TABLE} (user_id)`,
  `CREATE TABLE ${OIDC_SUBJECTS_TABLE} (
    user_id TEXT PRIMARY KEY REFERENCES ${PRINCIPALS_TABLE} (id),
    subject TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
] as const;

/**
 * The packages migration (MaxCompute-style sharing across projects): packages of a provider project, the functions they
 * share (EXECUTE only), the consumer projects allowed to install them (with an optional label), the installations,
 * and READ on an installation granted to the consumer's users and roles. Every row is signed (MAC v3 layouts of their
 * own kinds). A package object names its function by id without a foreign key: dropping a function removes it from
 * every package in the same transaction, and replacing one moves it to the replacement (as its grants move).
 */
export const SCHEMA_PACKAGES = [
  `CREATE TABLE ${PACKAGES_TABLE} (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES ${PROJECTS_TABLE} (id),
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    comment TEXT,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (project_id, name)
  )`,
  `CREATE TABLE ${PACKAGE_OBJECTS_TABLE} (
    package_id TEXT NOT NULL REFERENCES ${PACKAGES_TABLE} (id),
    function_id TEXT NOT NULL,
    privileges TEXT NOT NULL,
    added_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    PRIMARY KEY (package_id, function_id)
  )`,
  `CREATE INDEX ${PACKAGE_OBJECTS_TABLE}_function ON ${PACKAGE_OBJECTS_TABLE} (function_id)`,
  `CREATE TABLE ${PACKAGE_ALLOWED_TABLE} (
    package_id TEXT NOT NULL REFERENCES ${PACKAGES_TABLE} (id),
    project_id TEXT NOT NULL REFERENCES ${PROJECTS_TABLE} (id),
    label INTEGER,
    allowed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    PRIMARY KEY (package_id, project_id)
  )`,
  `CREATE TABLE ${PACKAGE_INSTALLS_TABLE} (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL REFERENCES ${PACKAGES_TABLE} (id),
    project_id TEXT NOT NULL REFERENCES ${PROJECTS_TABLE} (id),
    installed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (package_id, project_id)
  )`,
  `CREATE INDEX ${PACKAGE_INSTALLS_TABLE}_project ON ${PACKAGE_INSTALLS_TABLE} (project_id)`,
  `CREATE TABLE ${PACKAGE_GRANTS_TABLE} (
    install_id TEXT NOT NULL REFERENCES ${PACKAGE_INSTALLS_TABLE} (id),
    grantee_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    granted_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    PRIMARY KEY (install_id, grantee_id)
  )`,
  `CREATE INDEX ${PACKAGE_GRANTS_TABLE}_grantee ON ${PACKAGE_GRANTS_TABLE} (grantee_id)`,
] as const;

/**
 * Migration 7: the sensitivity labels of functions (MaxCompute's label security for packages). A function without a row
 * is label 0. Keyed by function id without a foreign key, like package objects: dropping a function deletes its label in
 * the same transaction, and replacing one moves the label to the replacement. Signed (MAC v3 layout of its own kind).
 */
export const SCHEMA_FUNCTION_LABELS = [
  `CREATE TABLE ${FUNCTION_LABELS_TABLE} (
    function_id TEXT PRIMARY KEY,
    label INTEGER NOT NULL,
    set_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
] as const;

/** The columns of each table now, in INSERT order (the MAC columns last). */
export const CONNECTION_COLUMNS = [
  'id', 'project_id', 'name', 'owner_id', 'provider', 'region', 'allow_unknown_region', 'role_arn', 'namespace', 'code_bucket', 'external_id',
  'comment', 'status', 'status_detail', 'version', 'created_at', 'updated_at', 'mac_version', 'mac_key_id', 'row_mac',
] as const;

export const FUNCTION_COLUMNS = [
  'id', 'project_id', 'name', 'owner_id', 'connection_id', 'arguments', 'return_type', 'cloud_function', 'qualifier', 'properties', 'comment',
  'created_at', 'mac_version', 'mac_key_id', 'row_mac',
] as const;

export const PRINCIPAL_COLUMNS = ['id', 'kind', 'name', 'built_in', 'comment', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PROJECT_COLUMNS = ['id', 'name', 'owner_id', 'comment', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const ROLE_GRANT_COLUMNS = ['role_id', 'member_id', 'granted_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const GRANT_COLUMNS = [
  'id', 'object_kind', 'object_id', 'privilege', 'grantee_id', 'grantor_id', 'grant_option', 'created_at', 'mac_version', 'mac_key_id', 'row_mac',
] as const;
export const AUDIT_COLUMNS = ['seq', 'event_id', 'event_type', 'ts', 'principal', 'project', 'body', 'prev_hash', 'hash', 'mac_key_id', 'mac'] as const;
export const API_TOKEN_COLUMNS = [
  'id', 'user_id', 'prefix', 'token_hash', 'comment', 'created_by', 'created_at', 'expires_at', 'last_used_at', 'mac_version', 'mac_key_id', 'row_mac',
] as const;
export const OIDC_SUBJECT_COLUMNS = ['user_id', 'subject', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;

/**
 * Migration 5 (Governance II): the customer's policies (the managed ones are built in, never stored), their
 * attachments to users and roles (by policy name: managed or own), boundaries (one per project, user or role) and
 * each project's OBJECT_PRIVILEGES switch (no row: ON). Every row is signed over every column (MAC v3 layouts of
 * the new kinds). The migration's code step attaches LakefnFullAccess to PUBLIC: what Governance I granted every
 * principal implicitly, now a row that SHOW POLICIES lists and DETACH removes.
 */
export const SCHEMA_5 = [
  `CREATE TABLE ${POLICIES_TABLE} (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL,
    comment TEXT,
    owner_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
  `CREATE TABLE ${POLICY_ATTACHMENTS_TABLE} (
    id TEXT PRIMARY KEY,
    policy_name TEXT NOT NULL,
    principal_id TEXT NOT NULL REFERENCES ${PRINCIPALS_TABLE} (id),
    attached_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (policy_name, principal_id)
  )`,
  `CREATE INDEX ${POLICY_ATTACHMENTS_TABLE}_principal ON ${POLICY_ATTACHMENTS_TABLE} (principal_id)`,
  `CREATE TABLE ${BOUNDARIES_TABLE} (
    id TEXT PRIMARY KEY,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    set_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL,
    UNIQUE (target_kind, target_id)
  )`,
  `CREATE TABLE ${PROJECT_SETTINGS_TABLE} (
    project_id TEXT PRIMARY KEY REFERENCES ${PROJECTS_TABLE} (id),
    object_privileges INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    mac_version INTEGER NOT NULL,
    mac_key_id TEXT NOT NULL,
    row_mac TEXT NOT NULL
  )`,
] as const;

export const POLICY_COLUMNS = ['id', 'name', 'document', 'comment', 'owner_id', 'created_at', 'updated_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const POLICY_ATTACHMENT_COLUMNS = ['id', 'policy_name', 'principal_id', 'attached_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const BOUNDARY_COLUMNS = ['id', 'target_kind', 'target_id', 'policy_name', 'set_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PROJECT_SETTING_COLUMNS = ['project_id', 'object_privileges', 'changed_by', 'changed_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PACKAGE_COLUMNS = ['id', 'project_id', 'name', 'owner_id', 'comment', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PACKAGE_OBJECT_COLUMNS = ['package_id', 'function_id', 'privileges', 'added_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PACKAGE_ALLOWED_COLUMNS = ['package_id', 'project_id', 'label', 'allowed_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PACKAGE_INSTALL_COLUMNS = ['id', 'package_id', 'project_id', 'installed_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const PACKAGE_GRANT_COLUMNS = ['install_id', 'grantee_id', 'granted_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
export const FUNCTION_LABEL_COLUMNS = ['function_id', 'label', 'set_by', 'created_at', 'mac_version', 'mac_key_id', 'row_mac'] as const;
