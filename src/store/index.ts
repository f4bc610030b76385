export type {
  CatalogStore, CatalogReadSession, CatalogWriteSession, ConnectionCatalog, FunctionCatalog, ConnectionChanges, CreateOptions, CreateConnectionOptions,
  CreateResult, DropConnectionOptions, DropFunctionOptions, DropResult, DroppedObject, KeyRotation,
} from './catalog-store.ts';
export { openCatalogStore, createCatalogStore, resolveHome, DEFAULT_HOME, SQLITE_FILE, type OpenCatalogStoreOptions } from './open-catalog-store.ts';
export { STORE_KEY_FILE, STORE_KEY_FILE_VARIABLE } from './store-key.ts';
