import { LakefnError } from '../errors/index.ts';
import { isProviderName } from '../registry/providers.ts';
import { resignedMacValues } from './catalog-rows.ts';
import { CATALOG_STATE_TABLE, CONNECTIONS_TABLE, FUNCTIONS_TABLE, SCHEMA_1, SCHEMA_2 } from './catalog-schema.ts';
import { verifiesWithMacV1 } from './legacy-row-mac-v1.ts';
import { regionAcceptedAsUnknown } from './revalidate-records.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';

/** What a migration may use besides SQL: the key (re-signing rows) and the store's location (messages). */
export interface MigrationContext {
  readonly keyring: StoreKeyring;
  readonly location: string;
}

/**
 * One schema step, applied once, in the same write transaction as the record of it in lakefn_migrations (a
 * failure leaves the catalog as it was). Append new migrations; never edit an applied one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  apply(sql: SqlSession, context: MigrationContext): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections and functions',
    apply: (sql) => runAll(sql, SCHEMA_1),
  },
  {
    version: 2,
    name: 'functions bound to connection ids; row MAC v2 over every column, with key ids',
    apply: migrateToMacV2,
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/**
 * Rebuilds the tables keyed by id (SCHEMA_2), then re-signs the rows with MAC v2. A connection is re-signed only
 * if its v1 MAC verifies with this process's key: one that does not keeps mac_version 1, so every read refuses it
 * (E_STORE_TAMPERED) and only DROP removes it; the migration never launders a row tampered with before it.
 * Functions had no MAC: they are signed as they are (nothing could have detected an earlier change to them), and
 * re-validated on every read like every row. When not one connection verifies, the key is not the one that
 * signed this catalog (a node with its own key file): the migration is refused and nothing changes.
 */
async function migrateToMacV2(sql: SqlSession, context: MigrationContext): Promise<void> {
  await refuseOrphanedFunctions(sql, context.location);
  await runAll(sql, SCHEMA_2);
  const key = context.keyring.current();
  const connections = await sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`);
  const verified = connections.filter((row) => verifiesWithMacV1(key.key, row));
  if (connections.length > 0 && verified.length === 0) {
    throw new LakefnError(
      'E_STORE_KEY_MISSING',
      `cannot upgrade the catalog in ${context.location}: not one of its ${connections.length} connection(s) verifies with store key ` +
        `${context.keyring.path}, so this is not the key that signed it (or every row was changed outside lakefn). Nothing was changed. ` +
        'Point LAKEFN_STORE_KEY_FILE at the key the catalog was created with (on a shared PostgreSQL catalog, the key file of the other nodes) and open it again',
    );
  }
  for (const row of verified) {
    const allowUnknownRegion = unknownRegionOf(row) ? 1 : 0;
    const [version, keyId, mac] = resignedMacValues('connection', { ...row, allow_unknown_region: allowUnknownRegion }, key);
    await sql.run(`UPDATE ${CONNECTIONS_TABLE} SET allow_unknown_region = ?, mac_version = ?, mac_key_id = ?, row_mac = ? WHERE id = ?`, [
      allowUnknownRegion, version, keyId, mac, String(row['id']),
    ]);
  }
  for (const row of await sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`)) {
    await sql.run(`UPDATE ${FUNCTIONS_TABLE} SET mac_version = ?, mac_key_id = ?, row_mac = ? WHERE id = ?`, [...resignedMacValues('function', row, key), String(row['id'])]);
  }
  await sql.run(`INSERT INTO ${CATALOG_STATE_TABLE} (id, mac_key_id, key_changed_at) VALUES (1, ?, ?)`, [key.id, new Date().toISOString()]);
}

/** Functions whose connection is gone (only possible when foreign keys were bypassed) would be lost by the rebuild. */
async function refuseOrphanedFunctions(sql: SqlSession, location: string): Promise<void> {
  const orphans = await sql.all(
    `SELECT f.name AS name, f.connection_name AS connection_name FROM ${FUNCTIONS_TABLE} f ` +
      `LEFT JOIN ${CONNECTIONS_TABLE} c ON c.name = f.connection_name WHERE c.name IS NULL ORDER BY f.name`,
  );
  if (orphans.length === 0) return;
  const listed = orphans.slice(0, 10).map((row) => `'${String(row['name'])}' (connection '${String(row['connection_name'])}')`).join(', ');
  throw new LakefnError(
    'E_STORE',
    `cannot upgrade the catalog in ${location}: ${orphans.length} function(s) name a connection that does not exist: ${listed}. ` +
      `The catalog was changed outside lakefn. Nothing was changed; delete those rows from ${FUNCTIONS_TABLE} (or restore a backup) and open it again`,
  );
}

/** Whether a not-yet-decoded connection row's region passes only as an unknown region (see regionAcceptedAsUnknown). */
function unknownRegionOf(row: SqlRow): boolean {
  const text = (column: string): string => {
    const value = row[column];
    return typeof value === 'string' ? value : '';
  };
  const optional = (column: string): string | null => (row[column] === null ? null : text(column));
  const provider = text('provider');
  if (!isProviderName(provider)) return false;
  return regionAcceptedAsUnknown({
    provider,
    region: text('region'),
    roleArn: text('role_arn'),
    namespace: text('namespace'),
    codeBucket: optional('code_bucket'),
    comment: optional('comment'),
  });
}

async function runAll(sql: SqlSession, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.run(statement);
}
