import type { ConnectionRecord, ConnectionStatus } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';

/** How `create` treats an existing object of the same name. Both false: an existing name is an error. */
export interface CreateOptions {
  /** Replace the existing object (CREATE OR REPLACE). @default false */
  readonly orReplace?: boolean;
  /** Keep the existing object and return it with a notice (IF NOT EXISTS). @default false */
  readonly ifNotExists?: boolean;
}

/** What `create` did. `record` is what is stored now (the existing object when `outcome` is 'existed'). */
export interface CreateResult<T> {
  readonly record: T;
  readonly outcome: 'created' | 'replaced' | 'existed';
  /** The object that was replaced, when `outcome` is 'replaced'. */
  readonly previous: T | null;
  /** Set for 'existed' (IF NOT EXISTS was a no-op); a sentence for the user. */
  readonly notice: string | null;
}

export interface DropConnectionOptions {
  /** A missing connection is a no-op with a notice instead of E_NO_SUCH_CONNECTION. @default false */
  readonly ifExists?: boolean;
  /** Drop the functions bound to the connection in the same transaction. @default false */
  readonly cascade?: boolean;
}

export interface DropFunctionOptions {
  /** @default false */
  readonly ifExists?: boolean;
}

export interface DropResult<T> {
  /** The dropped object, or null when IF EXISTS found nothing. */
  readonly dropped: T | null;
  /** Names of the functions CASCADE dropped with a connection (empty otherwise). */
  readonly droppedFunctions: readonly string[];
  readonly notice: string | null;
}

/**
 * The mutable parts of a stored connection. `update` writes them, increments `version` and sets
 * `updatedAt`; the caller is responsible for validating the merged fields first.
 */
export interface ConnectionChanges {
  readonly provider?: ConnectionRecord['provider'];
  readonly region?: string;
  readonly roleArn?: string;
  readonly namespace?: string;
  readonly codeBucket?: string | null;
  readonly comment?: string | null;
  readonly externalId?: string;
  readonly status?: ConnectionStatus;
  readonly statusDetail?: string | null;
}

export interface ConnectionCatalog {
  /** The connection, its row MAC verified (E_STORE_TAMPERED otherwise), or undefined. */
  get(name: string): Promise<ConnectionRecord | undefined>;
  /** All connections ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  list(like?: string | null): Promise<ConnectionRecord[]>;
  /**
   * Stores a new connection. An existing name → E_CONNECTION_EXISTS, unless `orReplace` (the stored row is
   * overwritten; `version` continues from the replaced one so optimistic updates against the old object fail)
   * or `ifNotExists` (nothing changes; the existing record and a notice are returned).
   */
  create(record: ConnectionRecord, options?: CreateOptions): Promise<CreateResult<ConnectionRecord>>;
  /**
   * Optimistic update: applies `changes` only if the stored version is `expectedVersion`
   * (E_STORE_CONFLICT otherwise, E_NO_SUCH_CONNECTION when gone). The stored row's MAC is verified
   * first, so an update never launders a tampered row. Returns the new record (version + 1).
   */
  update(name: string, expectedVersion: number, changes: ConnectionChanges): Promise<ConnectionRecord>;
  /** Refused with E_CONNECTION_IN_USE while functions use it, unless `cascade`. */
  drop(name: string, options?: DropConnectionOptions): Promise<DropResult<ConnectionRecord>>;
}

export interface FunctionCatalog {
  get(name: string): Promise<FunctionRecord | undefined>;
  /** All functions ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  list(like?: string | null): Promise<FunctionRecord[]>;
  /** The record's connection must exist (E_NO_SUCH_CONNECTION); duplicate names → E_FUNCTION_EXISTS. */
  create(record: FunctionRecord, options?: CreateOptions): Promise<CreateResult<FunctionRecord>>;
  drop(name: string, options?: DropFunctionOptions): Promise<DropResult<FunctionRecord>>;
}

/**
 * The catalog of API CONNECTIONs and EXTERNAL FUNCTIONs. Every method is one transaction: when it
 * throws, nothing in the store changed. Safe to use from several processes at once.
 */
export interface CatalogStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store lives, for messages: a file path or a URL without its password. */
  readonly location: string;
  /** Opens the database and applies pending migrations. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  readonly connections: ConnectionCatalog;
  readonly functions: FunctionCatalog;
}
