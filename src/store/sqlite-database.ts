import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LakefnError } from '../errors/index.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';

/**
 * Transaction queues per database file, shared by every SqliteDatabase of this process. SQLite's busy
 * wait blocks the thread: a second connection in the same process waiting for a lock that the first
 * holds across an `await` would block the very thread that has to release it. So in-process callers
 * queue here; other processes wait on SQLite's own lock.
 */
const queues = new Map<string, Promise<unknown>>();

export interface SqliteDatabaseOptions {
  /** How long a statement waits for another process's lock before failing. @default 15000 */
  readonly busyTimeoutMs?: number;
}

/**
 * better-sqlite3 behind the async SqlDatabase surface: WAL mode (readers never block the writer),
 * a busy timeout so concurrent CLI processes wait for each other instead of failing, and
 * BEGIN IMMEDIATE for writes (the write lock is taken up front, so no transaction has to be
 * upgraded midway). One connection per process; transactions are queued so async callers never
 * interleave statements inside someone else's transaction.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly kind = 'sqlite';
  readonly location: string;
  readonly #busyTimeoutMs: number;
  #database: Database.Database | undefined;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(path: string, options: SqliteDatabaseOptions = {}) {
    this.location = resolve(path);
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
  }

  async open(): Promise<void> {
    if (this.#database !== undefined) return;
    try {
      mkdirSync(dirname(this.location), { recursive: true, mode: 0o700 });
      const database = new Database(this.location);
      // busy_timeout first: switching to WAL needs a lock another process may hold right now
      database.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
      this.#database = database;
    } catch (error) {
      throw this.#storeError(error);
    }
  }

  async transaction<T>(mode: 'read' | 'write', work: (session: SqlSession) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const database = this.#database;
      if (database === undefined) throw new LakefnError('E_INTERNAL', `SQLite store ${this.location} used before init() or after close()`);
      try {
        database.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      } catch (error) {
        throw this.#storeError(error);
      }
      try {
        const result = await work(this.#session(database));
        database.exec('COMMIT');
        return result;
      } catch (error) {
        if (database.inTransaction) database.exec('ROLLBACK');
        throw this.#storeError(error);
      }
    };
    return this.#enqueue(run);
  }

  async close(): Promise<void> {
    await this.#enqueue(async () => {
      this.#statements.clear();
      this.#database?.close();
      this.#database = undefined;
    });
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const previous = queues.get(this.location) ?? Promise.resolve();
    const result = previous.then(work, work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    queues.set(this.location, settled);
    // forget the queue once idle, so the map does not grow with every file ever opened
    void settled.then(() => {
      if (queues.get(this.location) === settled) queues.delete(this.location);
    });
    return result;
  }

  #session(database: Database.Database): SqlSession {
    return {
      all: async (sql: string, parameters: readonly SqlValue[] = []) => this.#prepare(database, sql).all(...parameters) as SqlRow[],
      run: async (sql: string, parameters: readonly SqlValue[] = []) => this.#prepare(database, sql).run(...parameters).changes,
    };
  }

  #prepare(database: Database.Database, sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      // DDL (migrations) must not be cached: its statements are invalid once the schema changed
      if (!/^\s*(?:CREATE|ALTER|DROP)\b/i.test(sql)) this.#statements.set(sql, statement);
    }
    return statement;
  }

  #storeError(error: unknown): LakefnError {
    if (LakefnError.isInstance(error)) return error;
    const code = (error as { code?: unknown }).code;
    const reason = error instanceof Error ? error.message : String(error);
    if (code === 'SQLITE_BUSY') {
      return new LakefnError(
        'E_STORE_CONFLICT',
        `SQLite store ${this.location} stayed locked by another process for ${this.#busyTimeoutMs} ms; retry`,
        { cause: error },
      );
    }
    return new LakefnError('E_STORE', `SQLite store ${this.location}: ${reason}`, { cause: error });
  }
}
