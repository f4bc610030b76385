/**
 * The catalog schema as versioned migrations, in SQL both SQLite and PostgreSQL accept (TEXT and
 * INTEGER columns, JSON kept as TEXT, timestamps as ISO-8601 TEXT so both stores hold identical values).
 * Append new migrations; never edit an applied one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS_TABLE = 'lakefn_migrations';
export const CONNECTIONS_TABLE = 'lakefn_connections';
export const FUNCTIONS_TABLE = 'lakefn_functions';

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections and functions',
    statements: [
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
    ],
  },
];

export const CONNECTION_COLUMNS = [
  'name', 'id', 'provider', 'region', 'role_arn', 'namespace', 'code_bucket', 'external_id', 'comment',
  'status', 'status_detail', 'version', 'created_at', 'updated_at', 'row_mac',
] as const;

export const FUNCTION_COLUMNS = [
  'name', 'id', 'connection_name', 'arguments', 'return_type', 'cloud_function', 'qualifier', 'properties', 'comment', 'created_at',
] as const;
