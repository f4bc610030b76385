import { validateCloudFunctionName } from '../catalog/index.ts';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import {
  connectionConflict, connectionExists, connectionInUse, existsNotice, missingNotice, noSuchConnection, providerChangeInUse, replacementBreaksFunctions,
} from './catalog-errors.ts';
import type {
  CatalogStore, ConnectionCatalog, ConnectionChanges, CreateConnectionOptions, CreateResult, DropConnectionOptions, DropResult,
} from './catalog-store.ts';

/** ConnectionCatalog over the store's sessions; every method is one transaction. */
export class SqlConnectionCatalog implements ConnectionCatalog {
  readonly #store: Pick<CatalogStore, 'read' | 'write'>;

  constructor(store: Pick<CatalogStore, 'read' | 'write'>) {
    this.#store = store;
  }

  get(name: string): Promise<ConnectionRecord | undefined> {
    return this.#store.read((session) => session.connection(name));
  }

  list(like?: string | null): Promise<ConnectionRecord[]> {
    return this.#store.read((session) => session.connections(like));
  }

  create(record: ConnectionRecord, options: CreateConnectionOptions = {}): Promise<CreateResult<ConnectionRecord>> {
    return this.#store.write(async (session) => {
      const existing = await session.connection(record.name);
      if (existing === undefined) {
        await session.insertConnection(record);
        return { record, outcome: 'created', previous: null, notice: null, reboundFunctions: [], droppedFunctions: [] };
      }
      if (options.ifNotExists === true) {
        return { record: existing, outcome: 'existed', previous: null, notice: existsNotice('connection', record.name), reboundFunctions: [], droppedFunctions: [] };
      }
      if (options.orReplace !== true) throw connectionExists(record.name);
      // versions keep counting up across a replace, so an update aimed at the old object fails
      const replacement: ConnectionRecord = { ...record, version: existing.version + 1 };
      const users = await session.functionsUsing(existing.id);
      const { reason, misfits } = functionsNotFitting(existing, replacement, users);
      if (misfits.length > 0 && options.cascade !== true) throw replacementBreaksFunctions(record.name, reason, misfits.map((fn) => fn.name));
      // the replacement is a new object (new id): its functions are re-bound to it, and re-signed, in this transaction
      for (const fn of users) await session.deleteFunction(fn.id);
      await session.deleteConnection(existing.id);
      await session.insertConnection(replacement);
      const kept = users.filter((fn) => !misfits.includes(fn));
      for (const fn of kept) await session.insertFunction({ ...fn, connectionId: replacement.id, connectionName: replacement.name });
      return {
        record: replacement,
        outcome: 'replaced',
        previous: existing,
        notice: null,
        reboundFunctions: kept.map((fn) => fn.name),
        droppedFunctions: misfits.map((fn) => fn.name),
      };
    });
  }

  update(name: string, expectedVersion: number, changes: ConnectionChanges): Promise<ConnectionRecord> {
    return this.#store.write(async (session) => {
      const current = await session.connection(name);
      if (current === undefined) throw noSuchConnection(name);
      if (current.version !== expectedVersion) throw connectionConflict(name, expectedVersion, current.version);
      if (changes.provider !== undefined && changes.provider !== current.provider) {
        const users = await session.functionNamesUsing(current.id);
        if (users.length > 0) throw providerChangeInUse(name, users);
      }
      const updated: ConnectionRecord = { ...current, ...changes, version: current.version + 1, updatedAt: new Date().toISOString() };
      await session.updateConnection(current, updated);
      return updated;
    });
  }

  drop(name: string, options: DropConnectionOptions = {}): Promise<DropResult<ConnectionRecord>> {
    return this.#store.write(async (session) => {
      // no integrity check here: dropping is how an admin gets rid of a row that failed it
      const dropped = await session.connectionForDrop(name);
      if (dropped === undefined) {
        if (options.ifExists === true) return { dropped: null, droppedFunctions: [], notice: missingNotice('connection', name) };
        throw noSuchConnection(name);
      }
      const functionNames = await session.functionNamesUsing(dropped.id);
      if (functionNames.length > 0 && options.cascade !== true) throw connectionInUse(name, functionNames);
      await session.deleteFunctionsUsing(dropped.id);
      await session.deleteConnection(dropped.id);
      return { dropped, droppedFunctions: functionNames, notice: null };
    });
  }
}

/**
 * Which functions a replacement connection no longer fits: all of them when the provider changes (each would call
 * another cloud's function of the same name), otherwise those whose cloud function the replacement's provider
 * refuses (`validateCloudFunctionName`, as CREATE EXTERNAL FUNCTION checks it).
 */
function functionsNotFitting(previous: ConnectionRecord, replacement: ConnectionRecord, users: readonly FunctionRecord[]): { reason: string; misfits: FunctionRecord[] } {
  if (replacement.provider !== previous.provider) {
    return { reason: `changes its provider from '${previous.provider}' to '${replacement.provider}' (each function would call another cloud's function of the same name)`, misfits: [...users] };
  }
  const misfits = users.filter((fn) => {
    try {
      validateCloudFunctionName(replacement.provider, fn.cloudFunction, fn.qualifier, { function: fn.name, connection: replacement.name });
      return false;
    } catch (error) {
      if (LakefnError.isInstance(error)) return true;
      throw error;
    }
  });
  return { reason: 'makes their cloud function names invalid for it', misfits };
}
