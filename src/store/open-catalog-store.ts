import { isAbsolute, join, resolve } from 'node:path';
import { LakefnError } from '../errors/index.ts';
import type { CatalogStore } from './catalog-store.ts';
import { PostgresDatabase } from './postgres-database.ts';
import { SqlCatalogStore } from './sql-catalog-store.ts';
import { SqliteDatabase } from './sqlite-database.ts';
import { STORE_KEY_FILE_VARIABLE } from './store-key.ts';

export const DEFAULT_HOME = '.lakefn';
export const SQLITE_FILE = 'lakefn.db';

export interface OpenCatalogStoreOptions {
  /** lakefn's state directory (SQLite file, store.key). @default $LAKEFN_HOME, else ./.lakefn */
  readonly home?: string | undefined;
  /** `postgres://…` selects PostgreSQL. @default $LAKEFN_STORE, else SQLite in `home` */
  readonly storeUrl?: string | undefined;
  /** The row-MAC key file; every node sharing a PostgreSQL catalog needs the same one. @default $LAKEFN_STORE_KEY_FILE, else `<home>/store.key` */
  readonly storeKeyFile?: string | undefined;
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** The state directory: explicit option, else LAKEFN_HOME, else `./.lakefn` (absolute). */
export function resolveHome(home: string | undefined, environment: Readonly<Record<string, string | undefined>> = process.env): string {
  const chosen = home ?? (environment['LAKEFN_HOME'] || DEFAULT_HOME);
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}

/** Builds the configured store without opening it (call `init()`). */
export function createCatalogStore(options: OpenCatalogStoreOptions = {}): CatalogStore {
  const environment = options.environment ?? process.env;
  const home = resolveHome(options.home, environment);
  const storeUrl = options.storeUrl ?? (environment['LAKEFN_STORE'] || undefined);
  const chosenKeyFile = options.storeKeyFile ?? (environment[STORE_KEY_FILE_VARIABLE] || undefined);
  const keyFile = chosenKeyFile === undefined ? undefined : resolve(chosenKeyFile);
  if (storeUrl === undefined) return new SqlCatalogStore(new SqliteDatabase(join(home, SQLITE_FILE)), home, keyFile);
  if (/^postgres(?:ql)?:\/\//i.test(storeUrl)) return new SqlCatalogStore(new PostgresDatabase(storeUrl), home, keyFile);
  // only the scheme is echoed: the rest of a malformed URL may hold a password
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:/.exec(storeUrl)?.[0] ?? '(no scheme)';
  throw new LakefnError('E_USAGE', `LAKEFN_STORE (scheme ${scheme}) is not a postgres:// URL; unset it to use SQLite in ${home}`);
}

/**
 * Opens the catalog: PostgreSQL when `storeUrl` / LAKEFN_STORE is a postgres:// URL, otherwise SQLite at
 * `<home>/lakefn.db`. Applies pending migrations. The caller closes it.
 */
export async function openCatalogStore(options: OpenCatalogStoreOptions = {}): Promise<CatalogStore> {
  const store = createCatalogStore(options);
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
