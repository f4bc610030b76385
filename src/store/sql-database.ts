import type { SqlRow, SqlValue } from './sql-value.ts';

/** One open transaction. SQL uses `?` placeholders; the PostgreSQL driver numbers them. */
export interface SqlSession {
  all(sql: string, parameters?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, parameters?: readonly SqlValue[]): Promise<number>;
}

/**
 * The small surface the catalog needs from a database. `transaction` commits when `work` resolves and
 * rolls back when it throws. 'write' transactions are serialised across processes (SQLite
 * BEGIN IMMEDIATE; PostgreSQL a transaction-scoped advisory lock), so check-then-write logic is safe.
 */
export interface SqlDatabase {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  open(): Promise<void>;
  transaction<T>(mode: 'read' | 'write', work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
