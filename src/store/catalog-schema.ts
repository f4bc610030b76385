/**
 * The catalog schema's SQL, in a dialect both SQLite and PostgreSQL accept (TEXT and INTEGER columns, JSON kept
 * as TEXT, timestamps as ISO-8601 TEXT so both stores hold identical values). The migrations that apply it are in
 * catalog-migrations.ts. Append new migrations; never edit an applied one.
 */
export const MIGRATIONS_TABLE = 'lakefn_migrations';
export const CONNECTIONS_TABLE = 'lakefn_connections';
export const FUNCTIONS_TABLE = 'lakefn_functions';
/** One row (id = 1) of catalog-wide state: the id of the key every row is signed with. */
export const CATALOG_STATE_TABLE = 'lakefn_catalog_state';

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

/** The columns of each table now, in INSERT order (the MAC columns last). */
export const CONNECTION_COLUMNS = [
  'id', 'name', 'provider', 'region', 'allow_unknown_region', 'role_arn', 'namespace', 'code_bucket', 'external_id', 'comment',
  'status', 'status_detail', 'version', 'created_at', 'updated_at', 'mac_version', 'mac_key_id', 'row_mac',
] as const;

export const FUNCTION_COLUMNS = [
  'id', 'name', 'connection_id', 'arguments', 'return_type', 'cloud_function', 'qualifier', 'properties', 'comment', 'created_at',
  'mac_version', 'mac_key_id', 'row_mac',
] as const;
