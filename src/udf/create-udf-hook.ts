import { createCredentialBroker } from '../credentials/index.ts';
import { createDispatcher } from '../dispatcher/create-dispatcher.ts';
import type { CallContext, Dispatcher } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import { createProviderRegistry } from '../registry/provider-registry.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import { openCatalogStore } from '../store/open-catalog-store.ts';
import type { UdfHook } from './udf-hook.ts';

export interface UdfHookOptions {
  /** lakefn's state directory (used when no `store` is given). @default $LAKEFN_HOME, else ./.lakefn */
  readonly home?: string | undefined;
  /** An open catalog store to use instead of opening one from `home`; the hook does not close it. */
  readonly store?: CatalogStore;
  /** Endpoint overrides, broker keys, store settings. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** A ready dispatcher to use instead of building one; the hook does not close it. */
  readonly dispatcher?: Dispatcher;
}

/**
 * Creates the UDF hook a SQL engine calls: a thin layer over the runtime's dispatcher that adds catalog lookups
 * (`describe`, `listFunctions`) and owns the lifecycle of what it opened. With neither `store` nor `dispatcher`
 * it builds the whole runtime (store, provider registry, credential broker, dispatcher) from `home`.
 *
 * @example
 * const hook = await createUdfHook({ home: '/var/lib/lakefn' });
 * const upper = await hook.evaluate('upper_fn', [['a'], [null]], { queryId: 'q1', user: 'alice' });
 * await hook.close();
 */
export async function createUdfHook(options: UdfHookOptions = {}): Promise<UdfHook> {
  const environment = options.environment ?? process.env;
  const closers: (() => Promise<void>)[] = [];
  let store: CatalogStore;
  let dispatcher: Dispatcher;
  if (options.store === undefined && options.dispatcher === undefined) {
    const runtime = await createRuntime({ home: options.home, environment });
    closers.push(() => runtime.close());
    ({ store, dispatcher } = runtime);
  } else {
    if (options.store === undefined) {
      const opened = await openCatalogStore({ home: options.home, environment });
      closers.push(() => opened.close());
      store = opened;
    } else {
      store = options.store;
    }
    dispatcher = options.dispatcher ?? dispatcherOver(store, environment, closers);
  }
  return new LakefnUdfHook(store, dispatcher, closers);
}

/** The runtime's wiring over a store the caller owns (createRuntime opens its own store). */
function dispatcherOver(store: CatalogStore, environment: Readonly<Record<string, string | undefined>>, closers: (() => Promise<void>)[]): Dispatcher {
  const registry = createProviderRegistry({ environment });
  const broker = createCredentialBroker({ adapterFor: (provider) => registry.adapterFor(provider), environment });
  const dispatcher = createDispatcher({
    resolveFunction: async (name) => {
      const fn = await requireFunction(store, name);
      const connection = await store.connections.get(fn.connectionName);
      if (connection === undefined) {
        throw new LakefnError('E_NO_SUCH_CONNECTION', `function ${fn.name} uses connection ${fn.connectionName}, which does not exist`, { location: { function: fn.name, connection: fn.connectionName } });
      }
      return { function: fn, connection };
    },
    adapterFor: (provider) => registry.adapterFor(provider),
    credentialsFor: (connection) => broker.credentialsFor(connection),
  });
  closers.unshift(async () => {
    try {
      await dispatcher.close();
    } finally {
      broker.close();
      await registry.close();
    }
  });
  return dispatcher;
}

async function requireFunction(store: CatalogStore, name: string): Promise<FunctionRecord> {
  const fn = (await store.functions.get(name)) ?? (name === name.toLowerCase() ? undefined : await store.functions.get(name.toLowerCase()));
  if (fn === undefined) {
    throw new LakefnError('E_NO_SUCH_FUNCTION', `function ${name} does not exist in ${store.location}; \`lakefn sql "SHOW FUNCTIONS"\` lists them`, { location: { function: name } });
  }
  return fn;
}

class LakefnUdfHook implements UdfHook {
  readonly #store: CatalogStore;
  readonly #dispatcher: Dispatcher;
  readonly #closers: readonly (() => Promise<void>)[];
  #closing: Promise<void> | undefined;

  constructor(store: CatalogStore, dispatcher: Dispatcher, closers: readonly (() => Promise<void>)[]) {
    this.#store = store;
    this.#dispatcher = dispatcher;
    this.#closers = closers;
  }

  async evaluate(functionName: string, rows: readonly (readonly unknown[])[], context?: CallContext) {
    this.#assertOpen();
    return this.#dispatcher.evaluate(functionName, rows, context);
  }

  async evaluateWithStats(functionName: string, rows: readonly (readonly unknown[])[], context?: CallContext) {
    this.#assertOpen();
    return this.#dispatcher.evaluateWithStats(functionName, rows, context);
  }

  evaluateStream(functionName: string, rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>, context?: CallContext) {
    this.#assertOpen();
    return this.#dispatcher.evaluateStream(functionName, rows, context);
  }

  stats(functionName?: string) {
    return this.#dispatcher.stats(functionName);
  }

  on(listener: Parameters<Dispatcher['on']>[0]) {
    return this.#dispatcher.on(listener);
  }

  describe(functionName: string): Promise<FunctionRecord> {
    return requireFunction(this.#store, functionName);
  }

  listFunctions(): Promise<FunctionRecord[]> {
    return this.#store.functions.list();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // in order (dispatcher drains before the store closes); one failing closer does not skip the others
      const failures: unknown[] = [];
      for (const close of this.#closers) await close().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new LakefnError('E_DISPATCHER_CLOSED', 'the UDF hook is closed; create a new one with createUdfHook()');
  }
}
