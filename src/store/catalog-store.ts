import type { ConnectionRecord, ConnectionStatus } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { ObjectPlacement, Placed } from '../spec/governance-records.ts';
import type { AuditLog } from './audit-log.ts';
import type { SqlGovernanceSession } from './sql-governance-session.ts';
import type { SqlPolicySession } from './sql-policy-session.ts';
import type { SqlLabelSession } from './sql-label-session.ts';
import type { SqlPackageSession } from './sql-package-session.ts';

/**
 * Where a session resolves names and places new objects: the project (connection and function names are unique per
 * project) and the owner of what it creates. Without one, a session works in project `default` and creates objects
 * owned by the built-in `super_administrator` (what every caller did before Governance I).
 */
export interface ObjectScope {
  readonly projectId: string;
  readonly ownerId: string;
}

/** How `create` treats an existing object of the same name. Both false: an existing name is an error. */
export interface CreateOptions {
  /** Replace the existing object (CREATE OR REPLACE). @default false */
  readonly orReplace?: boolean;
  /** Keep the existing object and return it with a notice (IF NOT EXISTS). @default false */
  readonly ifNotExists?: boolean;
}

export interface CreateConnectionOptions extends CreateOptions {
  /**
   * With `orReplace`: drop, in the same transaction, the functions the replacement no longer fits (all of them
   * when the provider changes; otherwise those whose cloud function fails the new provider's rules). Without it
   * such a replacement is refused with E_CONNECTION_IN_USE naming them. @default false
   */
  readonly cascade?: boolean;
}

/** What `create` did. `record` is what is stored now (the existing object when `outcome` is 'existed'). */
export interface CreateResult<T> {
  readonly record: T;
  readonly outcome: 'created' | 'replaced' | 'existed';
  /** The object that was replaced, when `outcome` is 'replaced'. */
  readonly previous: T | null;
  /** Set for 'existed' (IF NOT EXISTS was a no-op); a sentence for the user. */
  readonly notice: string | null;
  /** Functions a connection replacement re-bound to the new object (they follow it), sorted. */
  readonly reboundFunctions: readonly string[];
  /** Functions a connection replacement with CASCADE dropped, sorted. */
  readonly droppedFunctions: readonly string[];
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

/** A dropped object. `record` is null when its row failed the integrity check (DROP is how such a row is removed). */
export interface DroppedObject<T> {
  readonly id: string;
  readonly name: string;
  readonly record: T | null;
}

export interface DropResult<T> {
  /** The dropped object, or null when IF EXISTS found nothing. */
  readonly dropped: DroppedObject<T> | null;
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

/**
 * Typed catalog reads inside one transaction. Every record returned passed its row MAC (with the key id stored
 * in the row) and the same validation as CREATE; a row that fails either is E_STORE_TAMPERED naming the object.
 * A function is returned with its connection's name, read (and verified) in the same transaction. Names resolve in
 * the session's project (`scope`); the `placed…` reads take a project and return the project and owner too.
 */
export interface CatalogReadSession {
  readonly scope: ObjectScope;
  /** The same transaction with another scope (another project, another creator). */
  inScope(scope: ObjectScope): CatalogReadSession;
  /** The catalog version: bumped at the commit of every transaction that changed anything but the audit log. */
  catalogVersion(): Promise<number>;
  connection(name: string): Promise<ConnectionRecord | undefined>;
  connectionById(id: string): Promise<ConnectionRecord | undefined>;
  /** All connections ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  connections(like?: string | null): Promise<ConnectionRecord[]>;
  function(name: string): Promise<FunctionRecord | undefined>;
  /** All functions ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  functions(like?: string | null): Promise<FunctionRecord[]>;
  /** The functions bound to a connection, ordered by name. */
  functionsUsing(connectionId: string): Promise<FunctionRecord[]>;
  placedConnection(projectId: string, name: string): Promise<Placed<ConnectionRecord> | undefined>;
  placedConnectionById(id: string): Promise<Placed<ConnectionRecord> | undefined>;
  /** Connections of one project (every project: null), ordered by name, optionally matching a LIKE pattern. */
  placedConnections(projectId: string | null, like?: string | null): Promise<Placed<ConnectionRecord>[]>;
  placedFunction(projectId: string, name: string): Promise<Placed<FunctionRecord> | undefined>;
  placedFunctionById(id: string): Promise<Placed<FunctionRecord> | undefined>;
  placedFunctions(projectId: string | null, like?: string | null): Promise<Placed<FunctionRecord>[]>;
  /** Names of a project's objects, without decoding them. */
  objectNamesIn(projectId: string): Promise<{ connections: string[]; functions: string[] }>;
  /** The objects a principal owns, without decoding them. */
  objectsOwnedBy(ownerId: string): Promise<{ kind: 'connection' | 'function'; id: string; name: string; projectId: string }[]>;
  /** The placement of an object this transaction has read. */
  placementOf(id: string): ObjectPlacement | undefined;
  /** Projects, principals, role memberships and grants (verified; damaged rows are left out and listed). */
  readonly governance: SqlGovernanceSession;
  /** Policies, attachments, boundaries and project settings (Governance II; verified, kept per catalog version). */
  readonly policies: SqlPolicySession;
  /** Packages, their objects, install permissions, installations and READ grants (verified; damaged rows left out). */
  readonly packages: SqlPackageSession;
  /** Function sensitivity labels (migration 7; verified: a damaged label is reported, never read as a label). */
  readonly labels: SqlLabelSession;
  /** The audit log (appends only in write transactions). */
  readonly audit: AuditLog;
}

/**
 * Typed catalog writes inside the same transaction as the reads before them (write transactions are serialised
 * across processes and nodes, so check-then-write is safe). Every row written is signed with the catalog's key.
 * Nothing is validated here: callers validate fields (the statement executor does) before writing.
 */
export interface CatalogWriteSession extends CatalogReadSession {
  inScope(scope: ObjectScope): CatalogWriteSession;
  /** Placement: the one this transaction read for the same id (re-binding), else the scope's (a new object). */
  insertConnection(record: ConnectionRecord, placement?: ObjectPlacement): Promise<void>;
  /**
   * Overwrites `current` (matched by id and version: E_STORE_CONFLICT otherwise) with `next`, which keeps its id;
   * the placement is kept unless one is given (GRANT OWNERSHIP).
   */
  updateConnection(current: ConnectionRecord, next: ConnectionRecord, placement?: ObjectPlacement): Promise<void>;
  /** Deletes a connection row by id, with the grants on it; its functions must be gone first. */
  deleteConnection(id: string): Promise<void>;
  insertFunction(record: FunctionRecord, placement?: ObjectPlacement): Promise<void>;
  /** Re-signs a function (read in this transaction) with a new owner. */
  setFunctionOwner(record: FunctionRecord, ownerId: string): Promise<void>;
  /** Deletes a function row with the grants on it. */
  deleteFunction(id: string): Promise<void>;
  /** Deletes a function row and keeps the grants on it (the caller moves them). */
  deleteFunctionRow(id: string): Promise<void>;
  /** Deletes every object of a project, with their grants (DROP PROJECT … CASCADE). */
  deleteObjectsIn(projectId: string): Promise<{ connections: string[]; functions: string[] }>;
  /**
   * A row by name without its integrity checks: only what DROP needs to remove a row that fails them
   * (id, name, and the record when it does verify, else null).
   */
  connectionForDrop(name: string): Promise<DroppedObject<ConnectionRecord> | undefined>;
  functionForDrop(name: string): Promise<DroppedObject<FunctionRecord> | undefined>;
  /** Names of the functions bound to a connection, without decoding them (DROP … CASCADE of a bad row). */
  functionNamesUsing(connectionId: string): Promise<string[]>;
  deleteFunctionsUsing(connectionId: string): Promise<void>;
}

export interface ConnectionCatalog {
  /** The connection, its row MAC verified and its fields re-validated (E_STORE_TAMPERED otherwise), or undefined. */
  get(name: string): Promise<ConnectionRecord | undefined>;
  /** All connections ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  list(like?: string | null): Promise<ConnectionRecord[]>;
  /**
   * Stores a new connection. An existing name → E_CONNECTION_EXISTS, unless `orReplace` (a new object replaces
   * it: `version` continues from the replaced one so optimistic updates against the old object fail, and the
   * functions that use it are re-bound to the new object or, when it no longer fits them, refused unless
   * `cascade`) or `ifNotExists` (nothing changes; the existing record and a notice are returned).
   */
  create(record: ConnectionRecord, options?: CreateConnectionOptions): Promise<CreateResult<ConnectionRecord>>;
  /**
   * Optimistic update: applies `changes` only if the stored version is `expectedVersion`
   * (E_STORE_CONFLICT otherwise, E_NO_SUCH_CONNECTION when gone). The stored row is verified
   * first, so an update never launders a tampered row. Returns the new record (version + 1).
   */
  update(name: string, expectedVersion: number, changes: ConnectionChanges): Promise<ConnectionRecord>;
  /** Refused with E_CONNECTION_IN_USE while functions use it, unless `cascade`. Works on a row that fails its checks. */
  drop(name: string, options?: DropConnectionOptions): Promise<DropResult<ConnectionRecord>>;
}

export interface FunctionCatalog {
  get(name: string): Promise<FunctionRecord | undefined>;
  /** All functions ordered by name, or those whose name matches a SQL LIKE pattern (case-insensitive). */
  list(like?: string | null): Promise<FunctionRecord[]>;
  /**
   * The connection `record.connectionId` must exist with the name `record.connectionName` (E_NO_SUCH_CONNECTION);
   * duplicate names → E_FUNCTION_EXISTS unless `orReplace` / `ifNotExists`.
   */
  create(record: FunctionRecord, options?: CreateOptions): Promise<CreateResult<FunctionRecord>>;
  /** Works on a row that fails its checks. */
  drop(name: string, options?: DropFunctionOptions): Promise<DropResult<FunctionRecord>>;
}

/** What `lakefn store rotate-key` did. */
export interface KeyRotation {
  readonly previousKeyId: string;
  readonly keyId: string;
  /** The key file that now holds the new key. */
  readonly keyFile: string;
  readonly connections: number;
  readonly functions: number;
  /** Projects, principals, role memberships, grants, policies, attachments, boundaries and project settings re-signed. */
  readonly governanceRows: number;
  /** Audit records re-MAC'd (their hashes, and so the chain, are unchanged). */
  readonly auditRecords: number;
  /** Set when an earlier rotation had committed but not yet replaced the key file; this one finished it first. */
  readonly finishedInterruptedRotation: boolean;
}

/**
 * The catalog of API CONNECTIONs and EXTERNAL FUNCTIONs. `read` and `write` run typed operations in one
 * transaction (when `work` throws, nothing changed); `connections` and `functions` are one-transaction
 * conveniences over them. Safe to use from several processes, and nodes, at once.
 */
export interface CatalogStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /**
   * Opens the database, loads the row-MAC key (created only for an empty catalog: E_STORE_KEY_MISSING when
   * the catalog has rows and the key file is missing) and applies pending migrations. Idempotent.
   */
  init(): Promise<void>;
  close(): Promise<void>;
  /** A consistent snapshot: every read in `work` sees the same committed state. @param scope default: project `default` */
  read<T>(work: (session: CatalogReadSession) => Promise<T>, scope?: ObjectScope): Promise<T>;
  /**
   * One write transaction, serialised with every other writer of the catalog. When `work` changed anything but the
   * audit log, the catalog version is bumped in the same transaction.
   */
  write<T>(work: (session: CatalogWriteSession) => Promise<T>, scope?: ObjectScope): Promise<T>;
  /** The catalog version, read outside any transaction (one indexed single-row read): the per-batch check. */
  catalogVersion(): Promise<number>;
  /**
   * Re-signs every row with a new key in one transaction (every row is verified with the current key first: a
   * tampered row stops the rotation, E_STORE_TAMPERED, nothing changed). The new key file replaces the old one
   * only after the transaction committed.
   */
  rotateKey(): Promise<KeyRotation>;
  readonly connections: ConnectionCatalog;
  readonly functions: FunctionCatalog;
}
