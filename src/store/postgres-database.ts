import pg from 'pg';
import { LakefnError } from '../errors/index.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';

/** Advisory lock key ('lake', 1) that serialises catalog writes and migrations across every node. */
const WRITE_LOCK = 'SELECT pg_advisory_xact_lock(1818323813, 1)';
const CONFLICT_STATES = new Set(['40001', '40P01', '55P03']);

export interface PostgresDatabaseOptions {
  /** @default 4 */
  readonly maxConnections?: number;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
}

/** `postgres://user@host:port/db`: the URL without password or query string, safe to print. */
export function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${parsed.username}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * A pg Pool behind the async SqlDatabase surface. Write transactions first take a transaction-scoped
 * advisory lock, so catalog writes are serialised exactly like SQLite's BEGIN IMMEDIATE: check-then-write
 * logic (name exists? functions still use it?) cannot race another node. Reads take no lock.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres';
  readonly location: string;
  readonly #url: string;
  readonly #options: PostgresDatabaseOptions;
  #pool: pg.Pool | undefined;

  constructor(url: string, options: PostgresDatabaseOptions = {}) {
    this.#url = url;
    this.location = redactPostgresUrl(url);
    this.#options = options;
  }

  async open(): Promise<void> {
    if (this.#pool !== undefined) return;
    const pool = new pg.Pool({
      connectionString: this.#url,
      max: this.#options.maxConnections ?? 4,
      connectionTimeoutMillis: this.#options.connectTimeoutMs ?? 10_000,
      application_name: 'lakefn',
    });
    // an idle client losing its connection must not crash the process; the next query reports it
    pool.on('error', () => undefined);
    this.#pool = pool;
  }

  async transaction<T>(mode: 'read' | 'write', work: (session: SqlSession) => Promise<T>): Promise<T> {
    const pool = this.#pool;
    if (pool === undefined) throw new LakefnError('E_INTERNAL', `PostgreSQL store ${this.location} used before init() or after close()`);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw this.#storeError(error);
    }
    let broken = false;
    try {
      // reads see one snapshot (a function and its connection from the same committed state)
      await client.query(mode === 'write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (mode === 'write') await client.query(WRITE_LOCK);
      const result = await work(this.#session(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw this.#storeError(error);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #session(client: pg.PoolClient): SqlSession {
    return {
      all: async (sql: string, parameters: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), [...parameters])).rows as SqlRow[],
      run: async (sql: string, parameters: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), [...parameters])).rowCount ?? 0,
    };
  }

  #storeError(error: unknown): LakefnError {
    if (LakefnError.isInstance(error)) return error;
    const state = (error as { code?: unknown }).code;
    const reason = error instanceof Error ? error.message : String(error);
    if (typeof state === 'string' && CONFLICT_STATES.has(state)) {
      return new LakefnError('E_STORE_CONFLICT', `PostgreSQL store ${this.location}: concurrent change (${reason}); retry`, { cause: error });
    }
    return new LakefnError('E_STORE', `PostgreSQL store ${this.location}: ${reason}`, { cause: error });
  }
}

/** `?` → `$1, $2, …` (the catalog's SQL has no `?` inside string literals). */
function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
