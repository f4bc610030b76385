import { LakefnError } from '../errors/index.ts';
import type { CatalogReadSession, CatalogStore, CatalogWriteSession, KeyRotation } from './catalog-store.ts';
import { SqlConnectionCatalog } from './sql-connection-catalog.ts';
import { SqlFunctionCatalog } from './sql-function-catalog.ts';

/**
 * A CatalogStore whose `read` and `write` run inside one already open write transaction, in that session's scope: the
 * statement code written against the store (`store.connections.create(…)`) becomes part of the governed statement's
 * transaction, so the authorization check, the change and its audit record commit together or not at all.
 */
export class SessionBoundStore implements CatalogStore {
  readonly connections: SqlConnectionCatalog;
  readonly functions: SqlFunctionCatalog;
  readonly #session: CatalogWriteSession;
  readonly #outer: CatalogStore;

  constructor(session: CatalogWriteSession, outer: CatalogStore) {
    this.#session = session;
    this.#outer = outer;
    this.connections = new SqlConnectionCatalog(this);
    this.functions = new SqlFunctionCatalog(this);
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.#outer.kind;
  }

  get location(): string {
    return this.#outer.location;
  }

  async init(): Promise<void> {
    // the outer store is open: this one only lives inside its transaction
  }

  async close(): Promise<void> {
    // the outer store's owner closes it
  }

  read<T>(work: (session: CatalogReadSession) => Promise<T>): Promise<T> {
    return work(this.#session);
  }

  write<T>(work: (session: CatalogWriteSession) => Promise<T>): Promise<T> {
    return work(this.#session);
  }

  catalogVersion(): Promise<number> {
    return this.#session.catalogVersion();
  }

  rotateKey(): Promise<KeyRotation> {
    return Promise.reject(new LakefnError('E_INTERNAL', 'the store key cannot be rotated inside a statement'));
  }
}
