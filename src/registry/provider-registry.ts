import { EMPTY_CONFIG, type LakefnConfig, environmentWithConfig, resolveEndpoint } from '../config/lakefn-config.ts';
import { readProviderOptions } from '../config/provider-environment.ts';
import { LakefnError } from '../errors/index.ts';
import type { InvokeTransport, ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';
import { type ProviderName, providerDefinition } from './providers.ts';

export interface ProviderRegistry {
  /**
   * The provider's adapter, built on first use with the endpoint overrides from the environment or config.json (safe
   * to pass unbound). The vendor SDKs load when the adapter's first call needs them.
   */
  readonly adapterFor: (provider: ProviderName) => ProviderAdapterV1;
  /** Closes every adapter built so far (keep-alive sockets). */
  close(): Promise<void>;
}

export interface ProviderRegistryOptions {
  /** Read for `LAKEFN_<PROVIDER>_<API>_ENDPOINT` overrides and provider options. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** `$LAKEFN_HOME/config.json` (loadLakefnConfig): its `endpoints` apply where the variable is unset. @default no file */
  readonly config?: LakefnConfig;
  /** How adapters send invocations (see each adapter's `invokeTransport`). @default each adapter's default ('http') */
  readonly invokeTransport?: InvokeTransport | undefined;
}

/** Maps provider names to adapters, built from their definitions (src/registry/providers.ts). */
export function createProviderRegistry(options: ProviderRegistryOptions = {}): ProviderRegistry {
  const environment = options.environment ?? process.env;
  const config = options.config ?? EMPTY_CONFIG;
  const adapters = new Map<ProviderName, LazyAdapter>();
  let closed = false;

  return {
    adapterFor: (provider) => {
      if (closed) throw new LakefnError('E_CLOSED', 'the provider registry is closed');
      let adapter = adapters.get(provider);
      if (adapter === undefined) {
        const definition = providerDefinition(provider);
        // resolved now, so that a malformed override is reported by the call that would use it
        const endpoints = {
          sts: resolveEndpoint(provider, 'sts', environment, config),
          invoke: resolveEndpoint(provider, 'invoke', environment, config),
        };
        const providerOptions = readProviderOptions(provider, environmentWithConfig(environment, config));
        adapter = lazyAdapter(definition, () => definition.createAdapter({ endpoints, invokeTransport: options.invokeTransport, options: providerOptions }));
        adapters.set(provider, adapter);
      }
      return adapter;
    },
    async close() {
      closed = true;
      const all = [...adapters.values()];
      adapters.clear();
      await Promise.all(all.map((adapter) => adapter.close()));
    },
  };
}

interface LazyAdapter extends ProviderAdapterV1 {
  close(): Promise<void>;
}

/**
 * An adapter whose vendor SDK modules load on its first call (a definition's `createAdapter` imports them): the
 * commands that never reach a cloud do not pay for them. A failed load is retried by the next call.
 */
function lazyAdapter(definition: ProviderDefinition, create: () => Promise<ProviderAdapterV1>): LazyAdapter {
  let loading: Promise<ProviderAdapterV1> | undefined;
  let closed = false;
  const adapter = (): Promise<ProviderAdapterV1> => {
    if (closed) return Promise.reject(new LakefnError('E_CLOSED', `the ${definition.folder} provider adapter is closed`, { location: { provider: definition.id } }));
    loading ??= create().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    specificationVersion: 'v1',
    provider: definition.id,
    limits: definition.limits,
    bindConnection: async (connection) => (await adapter()).bindConnection(connection),
    doAssumeRole: async (callOptions) => (await adapter()).doAssumeRole(callOptions),
    doInvoke: async (callOptions) => (await adapter()).doInvoke(callOptions),
    async close() {
      closed = true;
      const loaded = loading;
      loading = undefined;
      await (await loaded?.catch(() => undefined))?.close();
    },
  };
}
