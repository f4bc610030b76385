import { loadLakefnConfig } from '../config/lakefn-config.ts';
import { createCredentialBroker, type CredentialBroker, type CredentialBrokerOptions } from '../credentials/index.ts';
import { createDispatcher } from '../dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../dispatcher/dispatcher-options.ts';
import type { Dispatcher, ResolvedFunction } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import { createProviderRegistry, type ProviderRegistry } from '../registry/provider-registry.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import { openCatalogStore, resolveHome } from '../store/open-catalog-store.ts';

export interface RuntimeOptions {
  /** lakefn's state directory. @default $LAKEFN_HOME, else ./.lakefn */
  readonly home?: string | undefined;
  /** `postgres://…` selects PostgreSQL. @default $LAKEFN_STORE, else SQLite in `home` */
  readonly storeUrl?: string | undefined;
  /** An open catalog store to use instead of opening one (`home`, `storeUrl` are then ignored); not closed by `close()`. */
  readonly store?: CatalogStore;
  /** Endpoint overrides, broker keys and store settings are read from here (never from the store); endpoints also from `<home>/config.json`. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Tuning of the dispatcher (concurrency, retry policy, clock…); the wiring options are set here. */
  readonly dispatcher?: Omit<DispatcherOptions, 'resolveFunction' | 'adapterFor' | 'credentialsFor'>;
  /** Credential broker tuning and events. */
  readonly credentials?: Omit<CredentialBrokerOptions, 'adapterFor' | 'environment'>;
}

/** Everything a process needs to run functions: catalog, provider adapters, credential broker, dispatcher. */
export interface Runtime {
  readonly store: CatalogStore;
  readonly registry: ProviderRegistry;
  readonly broker: CredentialBroker;
  readonly dispatcher: Dispatcher;
  /** Drains the dispatcher, then closes the broker, the adapters' sockets and the store (when the runtime opened it). */
  close(): Promise<void>;
}

/**
 * Wires the catalog store, the provider registry, the credential broker and the dispatcher together. The one
 * place that does so: `lakefn invoke`, `lakefn serve`, the UDF hook and DuckDB all start from here. Each call
 * resolves its function and connection from the store afresh, so DDL from other processes is seen at once.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { environment } = options;
  const ownsStore = options.store === undefined;
  // read before the store opens: a malformed config.json fails fast and leaves nothing to close
  const config = loadLakefnConfig(resolveHome(options.home, environment));
  const store = options.store ?? (await openCatalogStore({ home: options.home, storeUrl: options.storeUrl, environment }));
  const registry = createProviderRegistry({ environment, config });
  const broker = createCredentialBroker({ ...options.credentials, adapterFor: (provider) => registry.adapterFor(provider), environment });
  const dispatcher = createDispatcher({
    ...options.dispatcher,
    resolveFunction: (name) => resolveCatalogFunction(store, name),
    adapterFor: (provider) => registry.adapterFor(provider),
    credentialsFor: (connection) => broker.credentialsFor(connection),
  });
  let closing: Promise<void> | undefined;
  return {
    store,
    registry,
    broker,
    dispatcher,
    close() {
      closing ??= (async () => {
        try {
          await dispatcher.close();
        } finally {
          broker.close();
          await Promise.allSettled([registry.close(), ownsStore ? store.close() : undefined]);
        }
      })();
      return closing;
    },
  };
}

/**
 * A function and its connection from the catalog, read in one snapshot: the function row names its connection by
 * id, and both rows pass their MAC and CREATE's validation before anything is sent (E_STORE_TAMPERED otherwise).
 * E_NO_SUCH_FUNCTION when missing. A name not found as given is looked up lower-cased too (unquoted SQL names fold
 * to lower case; engines may pass `UPPER`).
 */
export async function resolveCatalogFunction(store: CatalogStore, name: string): Promise<ResolvedFunction> {
  const lowerCase = name.toLowerCase();
  return store.read(async (session) => {
    const fn = (await session.function(name)) ?? (lowerCase === name ? undefined : await session.function(lowerCase));
    if (fn === undefined) {
      throw new LakefnError('E_NO_SUCH_FUNCTION', `function ${name} does not exist in ${store.location}; \`lakefn function list\` shows the functions`, { location: { function: name } });
    }
    const connection = await session.connectionById(fn.connectionId);
    if (connection === undefined) throw new LakefnError('E_INTERNAL', `function ${fn.name} was read without its connection`, { location: { function: fn.name } });
    return { function: fn, connection };
  });
}
