import type { CallContext, Dispatcher } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import { AuditWriter, type AuditWriterStats } from '../governance/audit-writer.ts';
import { localPrincipal, type AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import { CallAuthorizer } from '../governance/call-authorizer.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import { openCatalogStore } from '../store/open-catalog-store.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import type { UdfHook } from './udf-hook.ts';

export interface UdfHookOptions {
  /** lakefn's state directory (used when no `store` is given). @default $LAKEFN_HOME, else ./.lakefn */
  readonly home?: string | undefined;
  /** An open catalog store to use instead of opening one from `home`; the hook does not close it. */
  readonly store?: CatalogStore;
  /** Endpoint overrides, broker keys, store settings. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** A ready dispatcher to use instead of building one; the hook does not close it (nor governs its calls). */
  readonly dispatcher?: Dispatcher;
  /**
   * Who calls when a call's context names no principal (each call may name its own: `context.principal`).
   * @default the process's local super administrator, `local:<os user>` (in-process)
   */
  readonly principal?: AuthenticatedPrincipal;
  /** The project function names resolve in when a call's context names none. @default 'default' */
  readonly project?: string | undefined;
  /** Where audit records that cannot be written are logged. @default stderr */
  readonly log?: (line: string) => void;
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
  const principal = options.principal ?? localPrincipal(undefined, 'in-process');
  const audit = options.log === undefined ? {} : { log: options.log };
  if (options.dispatcher === undefined) {
    // createRuntime opens the store from `home` unless one is given, and closes only what it opened
    const runtime = await createRuntime({
      home: options.home, environment, principal, project: options.project, audit, ...(options.store === undefined ? {} : { store: options.store }),
    });
    return new LakefnUdfHook(runtime.authorizer, runtime.audit, runtime.dispatcher, [() => runtime.close()]);
  }
  const store = options.store ?? (await openCatalogStore({ home: options.home, environment }));
  const closeStore = options.store === undefined ? [() => store.close()] : [];
  const writer = new AuditWriter(store, audit);
  // describe and list only: the given dispatcher decides (and audits) its own calls
  const authorizer = new CallAuthorizer({ store, audit: writer, principal, project: options.project });
  return new LakefnUdfHook(authorizer, writer, options.dispatcher, [() => writer.close(), ...closeStore]);
}

class LakefnUdfHook implements UdfHook {
  readonly #authorizer: CallAuthorizer;
  readonly #audit: AuditWriter;
  readonly #dispatcher: Dispatcher;
  readonly #closers: readonly (() => Promise<void>)[];
  #closing: Promise<void> | undefined;

  constructor(authorizer: CallAuthorizer, audit: AuditWriter, dispatcher: Dispatcher, closers: readonly (() => Promise<void>)[]) {
    this.#authorizer = authorizer;
    this.#audit = audit;
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

  describe(functionName: string, context?: CallContext): Promise<FunctionRecord> {
    return this.#authorizer.describe(functionName, context);
  }

  listFunctions(context?: CallContext): Promise<FunctionRecord[]> {
    return this.#authorizer.listFunctions(context);
  }

  auditStats(): AuditWriterStats {
    return this.#audit.stats();
  }

  endQuery(queryId: string): void {
    // the dispatcher's own governance merged the query's summaries (this hook's authorizer only describes and lists)
    this.#dispatcher.endQuery(queryId);
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
