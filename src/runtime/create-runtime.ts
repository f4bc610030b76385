import { loadLakefnConfig } from '../config/lakefn-config.ts';
import { createCredentialBroker, type CredentialBroker, type CredentialBrokerOptions } from '../credentials/index.ts';
import { createDispatcher } from '../dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../dispatcher/dispatcher-options.ts';
import type { Dispatcher, ResolvedFunction } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import { localPrincipal, type AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import { AuditWriter, type AuditWriterOptions } from '../governance/audit-writer.ts';
import { CallAuthorizer } from '../governance/call-authorizer.ts';
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
  readonly dispatcher?: Omit<DispatcherOptions, 'resolveFunction' | 'adapterFor' | 'credentialsFor' | 'onQueryEnd'>;
  /** Credential broker tuning and events. */
  readonly credentials?: Omit<CredentialBrokerOptions, 'adapterFor' | 'environment'>;
  /**
   * Who calls when a call's context names no principal. @default the process's local super administrator
   * (`local:<os user>`, in-process): whoever can open the catalog with its key is its bootstrap administrator
   */
  readonly principal?: AuthenticatedPrincipal;
  /** The project function names resolve in when a call's context names none. @default 'default' */
  readonly project?: string | undefined;
  /** The audit writer of call records (queue bound, flush interval, where lost records are logged). */
  readonly audit?: AuditWriterOptions;
}

/** Everything a process needs to run functions: catalog, provider adapters, credential broker, dispatcher. */
export interface Runtime {
  readonly store: CatalogStore;
  readonly registry: ProviderRegistry;
  readonly broker: CredentialBroker;
  readonly dispatcher: Dispatcher;
  /** The call-time rule (definer rights) and per-batch re-authorization of every call, with describe/list for engines. */
  readonly authorizer: CallAuthorizer;
  /** Where the call audit records (INVOKE_SUMMARY, INVOKE_ATTEMPT, denials) queue before they are written. */
  readonly audit: AuditWriter;
  /**
   * Drains the dispatcher, flushes the audit queue, then closes the broker, the adapters' sockets and the store (when
   * the runtime opened it).
   */
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
  const audit = new AuditWriter(store, options.audit);
  const authorizer = new CallAuthorizer({ store, audit, principal: options.principal ?? localPrincipal(undefined, 'in-process'), project: options.project });
  const dispatcher = createDispatcher({
    ...options.dispatcher,
    resolveFunction: (name, context) => authorizer.resolve(name, context),
    onQueryEnd: (queryId) => authorizer.endQuery(queryId),
    adapterFor: (provider) => registry.adapterFor(provider),
    credentialsFor: (connection) => broker.credentialsFor(connection),
  });
  let closing: Promise<void> | undefined;
  return {
    store,
    registry,
    broker,
    dispatcher,
    authorizer,
    audit,
    close() {
      closing ??= (async () => {
        try {
          await dispatcher.close();
        } finally {
          // after the last call ended (its summary queued), before the store closes
          authorizer.endQueries();
          await audit.close();
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
