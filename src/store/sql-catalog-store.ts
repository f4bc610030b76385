import { LakefnError } from '../errors/index.ts';
import type { CatalogStore } from './catalog-store.ts';
import { CREATE_MIGRATIONS_TABLE, MIGRATIONS, MIGRATIONS_TABLE } from './catalog-schema.ts';
import type { SqlDatabase } from './sql-database.ts';
import { SqlConnectionCatalog } from './sql-connection-catalog.ts';
import { SqlFunctionCatalog } from './sql-function-catalog.ts';
import { loadStoreKey } from './store-key.ts';

const LATEST_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/**
 * The catalog over a SqlDatabase (SQLite or PostgreSQL: same SQL, same behaviour). `home` holds the
 * row-MAC key file (store.key), for PostgreSQL too: the key never goes into the database it protects.
 * `keyFile` (LAKEFN_STORE_KEY_FILE) replaces `<home>/store.key`, so that several nodes share one key.
 */
export class SqlCatalogStore implements CatalogStore {
  readonly connections: SqlConnectionCatalog;
  readonly functions: SqlFunctionCatalog;
  readonly #database: SqlDatabase;
  readonly #home: string;
  readonly #keyFile: string | undefined;
  #key: Buffer | undefined;

  constructor(database: SqlDatabase, home: string, keyFile?: string) {
    this.#database = database;
    this.#home = home;
    this.#keyFile = keyFile;
    this.connections = new SqlConnectionCatalog(database, () => this.#requireKey());
    this.functions = new SqlFunctionCatalog(database);
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.#database.kind;
  }

  get location(): string {
    return this.#database.location;
  }

  async init(): Promise<void> {
    this.#key ??= loadStoreKey(this.#home, this.#keyFile);
    await this.#database.open();
    if (await this.#isCurrent()) return;
    await this.#database.transaction('write', async (session) => {
      await session.run(CREATE_MIGRATIONS_TABLE);
      const applied = new Set((await session.all(`SELECT version FROM ${MIGRATIONS_TABLE}`)).map((row) => Number(row['version'])));
      this.#refuseNewerSchema(applied);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements) await session.run(statement);
        await session.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`, [
          migration.version, migration.name, new Date().toISOString(),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    await this.#database.close();
  }

  /** A read-only check first, so opening an up-to-date store never takes the write lock or writes anything. */
  async #isCurrent(): Promise<boolean> {
    let applied: Set<number>;
    try {
      const rows = await this.#database.transaction('read', (session) => session.all(`SELECT version FROM ${MIGRATIONS_TABLE}`));
      applied = new Set(rows.map((row) => Number(row['version'])));
    } catch {
      return false; // no migrations table yet (or the store is unreachable: the write path reports that)
    }
    this.#refuseNewerSchema(applied);
    return MIGRATIONS.every((migration) => applied.has(migration.version));
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

  #requireKey(): Buffer {
    if (this.#key === undefined) throw new LakefnError('E_INTERNAL', `catalog store ${this.location} used before init()`);
    return this.#key;
  }
}
