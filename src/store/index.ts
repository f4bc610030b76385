export type {
  CatalogStore, ConnectionCatalog, FunctionCatalog, ConnectionChanges, CreateOptions, CreateResult, DropConnectionOptions, DropFunctionOptions, DropResult,
} from './catalog-store.ts';
export { openCatalogStore, createCatalogStore, resolveHome, DEFAULT_HOME, SQLITE_FILE, type OpenCatalogStoreOptions } from './open-catalog-store.ts';
export { loadStoreKey, STORE_KEY_FILE, STORE_KEY_FILE_VARIABLE } from './store-key.ts';
