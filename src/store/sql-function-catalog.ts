import type { FunctionRecord } from '../spec/function-record.ts';
import { existsNotice, functionExists, missingNotice, noSuchConnection, noSuchFunction } from './catalog-errors.ts';
import type { CatalogStore, CreateOptions, CreateResult, DropFunctionOptions, DropResult, FunctionCatalog } from './catalog-store.ts';

/** FunctionCatalog over the store's sessions; every method is one transaction. */
export class SqlFunctionCatalog implements FunctionCatalog {
  readonly #store: Pick<CatalogStore, 'read' | 'write'>;

  constructor(store: Pick<CatalogStore, 'read' | 'write'>) {
    this.#store = store;
  }

  get(name: string): Promise<FunctionRecord | undefined> {
    return this.#store.read((session) => session.function(name));
  }

  list(like?: string | null): Promise<FunctionRecord[]> {
    return this.#store.read((session) => session.functions(like));
  }

  create(record: FunctionRecord, options: CreateOptions = {}): Promise<CreateResult<FunctionRecord>> {
    return this.#store.write(async (session) => {
      const connection = await session.connectionById(record.connectionId);
      if (connection === undefined || connection.name !== record.connectionName) throw noSuchConnection(record.connectionName);
      const existing = await session.function(record.name);
      const created = { previous: null, notice: null, reboundFunctions: [], droppedFunctions: [] };
      if (existing === undefined) {
        await session.insertFunction(record);
        return { ...created, record, outcome: 'created' };
      }
      if (options.ifNotExists === true) return { ...created, record: existing, outcome: 'existed', notice: existsNotice('function', record.name) };
      if (options.orReplace !== true) throw functionExists(record.name);
      // a new object owned by its creator; the grants on the replaced one carry over (COPY GRANTS)
      await session.deleteFunctionRow(existing.id);
      await session.insertFunction(record);
      await session.governance.moveGrants('function', existing.id, record.id);
      await session.packages.moveFunction(existing.id, record.id);
      await session.labels.moveFunctionLabel(existing.id, record.id);
      return { ...created, record, outcome: 'replaced', previous: existing };
    });
  }

  drop(name: string, options: DropFunctionOptions = {}): Promise<DropResult<FunctionRecord>> {
    return this.#store.write(async (session) => {
      // no integrity check here: dropping is how an admin gets rid of a row that failed it
      const dropped = await session.functionForDrop(name);
      if (dropped === undefined) {
        if (options.ifExists === true) return { dropped: null, droppedFunctions: [], notice: missingNotice('function', name) };
        throw noSuchFunction(name);
      }
      await session.deleteFunction(dropped.id);
      return { dropped, droppedFunctions: [], notice: null };
    });
  }
}
