import { LakefnError } from '../errors/index.ts';
import { FUNCTION_LABELS_MIGRATION, LATEST_VERSION, MIGRATIONS, PACKAGES_MIGRATION } from './catalog-migrations.ts';
import { RowDecoder } from './catalog-rows.ts';
import {
  API_TOKENS_TABLE, AUDIT_TABLE, CATALOG_STATE_TABLE, CONNECTIONS_TABLE, CREATE_MIGRATIONS_TABLE, FUNCTION_LABELS_TABLE, FUNCTIONS_TABLE, GRANTS_TABLE, MIGRATIONS_TABLE, PACKAGE_TABLES,
  PRINCIPALS_TABLE, OIDC_SUBJECTS_TABLE, PROJECTS_TABLE, ROLE_GRANTS_TABLE,
} from './catalog-schema.ts';
import type { CatalogReadSession, CatalogStore, CatalogWriteSession, KeyRotation, ObjectScope } from './catalog-store.ts';
import { GovernanceRowDecoder } from './governance-rows.ts';
import { PackageRowDecoder } from './package-rows.ts';
import { PolicyRowDecoder } from './policy-rows.ts';
import { PolicyStateCache } from './sql-policy-session.ts';
import { rotateStoreKey, settleNextKeyFile } from './rotate-store-key.ts';
import { SqlCatalogSession, TransactionState } from './sql-catalog-session.ts';
import { BUILT_IN_ROLE_IDS, DEFAULT_PROJECT_ID } from '../spec/governance-records.ts';
import { SqlConnectionCatalog } from './sql-connection-catalog.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';
import { SqlFunctionCatalog } from './sql-function-catalog.ts';
import { storeKeyPath } from './store-key.ts';
import { StoreKeyring } from './store-keyring.ts';

/** What opening a catalog finds before deciding about the key and the migrations. */
interface CatalogState {
  readonly applied: ReadonlySet<number>;
  /** Signed rows (v1 connections included): a catalog with any needs the key that signed them. */
  readonly rows: number;
  /** Of them, connections and functions. */
  readonly objects: number;
}

/** Projects `default`, objects owned by `super_administrator`: what the catalog API does without a scope. */
export const DEFAULT_SCOPE: ObjectScope = Object.freeze({ projectId: DEFAULT_PROJECT_ID, ownerId: BUILT_IN_ROLE_IDS.super_administrator });

/**
 * The catalog over a SqlDatabase (SQLite or PostgreSQL: same SQL, same behaviour). `home` holds the row-MAC key
 * file (store.key), for PostgreSQL too: the key never goes into the database it protects. `keyFile`
 * (LAKEFN_STORE_KEY_FILE) replaces `<home>/store.key`, so that several nodes share one key.
 */
export class SqlCatalogStore implements CatalogStore {
  readonly connections: SqlConnectionCatalog;
  readonly functions: SqlFunctionCatalog;
  readonly #database: SqlDatabase;
  readonly #keyring: StoreKeyring;
  readonly #decoder: RowDecoder;
  readonly #governanceDecoder: GovernanceRowDecoder;
  readonly #policyDecoder: PolicyRowDecoder;
  readonly #policyCache = new PolicyStateCache();
  readonly #packageDecoder: PackageRowDecoder;

  constructor(database: SqlDatabase, home: string, keyFile?: string) {
    this.#database = database;
    this.#keyring = new StoreKeyring(storeKeyPath(home, keyFile));
    this.#decoder = new RowDecoder(this.#keyring, database.location);
    this.#governanceDecoder = new GovernanceRowDecoder(this.#keyring, database.location);
    this.#policyDecoder = new PolicyRowDecoder(this.#keyring, database.location);
    this.#packageDecoder = new PackageRowDecoder(this.#keyring, database.location);
    this.connections = new SqlConnectionCatalog(this);
    this.functions = new SqlFunctionCatalog(this);
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.#database.kind;
  }

  get location(): string {
    return this.#database.location;
  }

  async init(): Promise<void> {
    await this.#database.open();
    const state = await this.#inspect();
    // a new key only for a catalog with no rows: any other key could verify none of them
    if (!this.#keyring.load({ create: state.rows === 0 })) throw this.#keyMissing(state);
    if (MIGRATIONS.every((migration) => state.applied.has(migration.version))) return;
    await this.#database.transaction('write', async (sql) => {
      await sql.run(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedMigrations(sql);
      this.#refuseNewerSchema(applied);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await migration.apply(sql, { keyring: this.#keyring, location: this.location, kind: this.#database.kind });
        await sql.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`, [
          migration.version, migration.name, new Date().toISOString(),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    await this.#database.close();
  }

  read<T>(work: (session: CatalogReadSession) => Promise<T>, scope: ObjectScope = DEFAULT_SCOPE): Promise<T> {
    return this.#database.transaction('read', (sql) => work(this.#session(sql, scope, new TransactionState())));
  }

  write<T>(work: (session: CatalogWriteSession) => Promise<T>, scope: ObjectScope = DEFAULT_SCOPE): Promise<T> {
    return this.#database.transaction('write', async (sql) => {
      await this.#useCatalogKey(sql);
      const state = new TransactionState();
      const result = await work(this.#session(sql, scope, state));
      if (state.changed) await sql.run(`UPDATE ${CATALOG_STATE_TABLE} SET version = version + 1 WHERE id = 1`);
      return result;
    });
  }

  async catalogVersion(): Promise<number> {
    const value = await this.#database.value(`SELECT version FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
    const version = Number(value);
    if (!Number.isSafeInteger(version)) throw new LakefnError('E_STORE', `the catalog in ${this.location} has no version counter (it was changed outside lakefn)`);
    return version;
  }

  rotateKey(): Promise<KeyRotation> {
    return rotateStoreKey({
      database: this.#database,
      keyring: this.#keyring,
      decoder: this.#decoder,
      governanceDecoder: this.#governanceDecoder,
      policyDecoder: this.#policyDecoder,
      packageDecoder: this.#packageDecoder,
      useCatalogKey: (sql) => this.#useCatalogKey(sql),
    });
  }

  #session(sql: SqlSession, scope: ObjectScope, state: TransactionState): SqlCatalogSession {
    return new SqlCatalogSession({ sql, keyring: this.#keyring, decoder: this.#decoder, governanceDecoder: this.#governanceDecoder, policyDecoder: this.#policyDecoder, policyCache: this.#policyCache, packageDecoder: this.#packageDecoder, location: this.location, state }, scope);
  }

  /**
   * Before a write: sign with the key the catalog is signed with. When another process or node rotated it, the
   * keyring finds the new key in the key file (or in the next-key file of a rotation that has not renamed it yet).
   * An empty catalog adopts this process's key. Otherwise the write is refused: a row signed with another key
   * would be one the other nodes cannot verify.
   */
  async #useCatalogKey(sql: SqlSession): Promise<void> {
    const [state] = await sql.all(`SELECT mac_key_id FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
    const catalogKeyId = state?.['mac_key_id'];
    if (typeof catalogKeyId !== 'string') {
      throw new LakefnError('E_STORE', `the catalog in ${this.location} has no ${CATALOG_STATE_TABLE} row (it was changed outside lakefn); restore it from backup`);
    }
    if (catalogKeyId === this.#keyring.current().id) return;
    await settleNextKeyFile(sql, this.#keyring);
    const current = this.#keyring.current();
    if (catalogKeyId === current.id) return;
    const key = this.#keyring.forId(catalogKeyId);
    if (key !== undefined) {
      this.#keyring.use(key);
      return;
    }
    if ((await countRows(sql, await appliedMigrations(sql))) === 0) {
      await sql.run(`UPDATE ${CATALOG_STATE_TABLE} SET mac_key_id = ?, key_changed_at = ? WHERE id = 1`, [current.id, new Date().toISOString()]);
      return;
    }
    throw new LakefnError(
      'E_STORE_KEY_MISSING',
      `the catalog in ${this.location} is signed with store key ${catalogKeyId}, but this process has key ${this.#keyring.current().id} ` +
        `(${this.#keyring.path}); lakefn will not write rows that the catalog's other users cannot verify. All lakefn nodes sharing a ` +
        'PostgreSQL catalog must share one store key: copy the current key file (after `lakefn store rotate-key`, the new one) to this ' +
        'node and point LAKEFN_STORE_KEY_FILE at it',
    );
  }

  /** Read-only, so opening an up-to-date store never takes the write lock; errors (an unreachable store) propagate. */
  async #inspect(): Promise<CatalogState> {
    return this.#database.transaction('read', async (sql) => {
      if (!(await this.#tableExists(sql, MIGRATIONS_TABLE))) return { applied: new Set<number>(), rows: 0, objects: 0 };
      const applied = await appliedMigrations(sql);
      this.#refuseNewerSchema(applied);
      return { applied, rows: await countRows(sql, applied), objects: await countRows(sql, applied, 'objects') };
    });
  }

  async #tableExists(sql: SqlSession, table: string): Promise<boolean> {
    const query = this.#database.kind === 'sqlite'
      ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?"
      : 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?';
    const [row] = await sql.all(query, [table]);
    return Number(row?.['n'] ?? 0) > 0;
  }

  #refuseNewerSchema(applied: ReadonlySet<number>): void {
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_VERSION) {
      throw new LakefnError(
        'E_STORE',
        `store ${this.location} has schema version ${newest}, newer than this lakefn supports (${LATEST_VERSION}); upgrade lakefn`,
      );
    }
  }

  #keyMissing(state: CatalogState): LakefnError {
    const path = this.#keyring.path;
    const governance = state.rows - state.objects;
    return new LakefnError(
      'E_STORE_KEY_MISSING',
      `store key ${path} is missing, but the catalog in ${this.location} holds ${state.objects} signed connection or function row(s)` +
        `${governance === 0 ? '' : ` and ${governance} signed governance or audit row(s)`}; lakefn never creates a new key ` +
        'for a catalog that has rows (it could verify none of them). Restore the key file from backup to that path (mode 0600), or point ' +
        'LAKEFN_STORE_KEY_FILE at the key the catalog was signed with (the one the other lakefn nodes of this catalog use). If the key is ' +
        'lost for good, no row can be trusted again: move the catalog aside and create the connections anew (each gets a new external ID ' +
        "for its role's trust policy)",
      { data: { keyFile: path } },
    );
  }
}

async function appliedMigrations(sql: SqlSession): Promise<Set<number>> {
  return new Set((await sql.all(`SELECT version FROM ${MIGRATIONS_TABLE}`)).map((row) => Number(row['version'])));
}

/** Signed rows in the tables the applied migrations created (or only connections and functions). */
export async function countRows(sql: SqlSession, applied: ReadonlySet<number>, which: 'all' | 'objects' = 'all'): Promise<number> {
  const tables = [
    ...(applied.has(1) ? [CONNECTIONS_TABLE, FUNCTIONS_TABLE] : []),
    ...(applied.has(3) && which === 'all' ? [PRINCIPALS_TABLE, PROJECTS_TABLE, ROLE_GRANTS_TABLE, GRANTS_TABLE, AUDIT_TABLE] : []),
    ...(applied.has(4) && which === 'all' ? [API_TOKENS_TABLE, OIDC_SUBJECTS_TABLE] : []),
    ...(applied.has(PACKAGES_MIGRATION) && which === 'all' ? PACKAGE_TABLES : []),
    ...(applied.has(FUNCTION_LABELS_MIGRATION) && which === 'all' ? [FUNCTION_LABELS_TABLE] : []),
  ];
  let total = 0;
  for (const table of tables) {
    const [row] = await sql.all(`SELECT COUNT(*) AS n FROM ${table}`);
    total += Number(row?.['n'] ?? 0);
  }
  return total;
}
