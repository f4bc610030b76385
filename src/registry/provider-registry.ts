import { createAliyunFcAdapter } from '../../providers/aliyun-fc/index.ts';
import { createAwsLambdaAdapter } from '../../providers/aws-lambda/index.ts';
import { createTencentScfAdapter } from '../../providers/tencent-scf/index.ts';
import { EMPTY_CONFIG, type LakefnConfig, resolveEndpoint } from '../config/lakefn-config.ts';
import { PROVIDER_APIS } from '../config/provider-environment.ts';
import { LakefnError } from '../errors/index.ts';
import type { InvokeTransport } from '../provider-utils/index.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderName } from '../spec/provider-name.ts';

export interface ProviderRegistry {
  /** The provider's adapter, built on first use with the endpoint overrides from the environment or config.json (safe to pass unbound). */
  readonly adapterFor: (provider: ProviderName) => ProviderAdapterV1;
  /** Closes every adapter built so far (keep-alive sockets). */
  close(): Promise<void>;
}

export interface ProviderRegistryOptions {
  /** Read for `LAKEFN_<PROVIDER>_<API>_ENDPOINT` overrides. @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** `$LAKEFN_HOME/config.json` (loadLakefnConfig): its `endpoints` apply where the variable is unset. @default no file */
  readonly config?: LakefnConfig;
  /** How adapters send invocations (see each adapter's `invokeTransport`). @default each adapter's default ('http') */
  readonly invokeTransport?: InvokeTransport | undefined;
}

/** The only src/ module that imports providers/: maps provider names to adapters. */
export function createProviderRegistry(options: ProviderRegistryOptions = {}): ProviderRegistry {
  const environment = options.environment ?? process.env;
  const adapters = new Map<ProviderName, ProviderAdapterV1>();
  let closed = false;

  const config = options.config ?? EMPTY_CONFIG;
  const endpoints = (provider: ProviderName) => {
    const [stsApi, invokeApi] = PROVIDER_APIS[provider];
    return { sts: resolveEndpoint(provider, stsApi, environment, config), invoke: resolveEndpoint(provider, invokeApi, environment, config) };
  };
  const transport = options.invokeTransport === undefined ? {} : { invokeTransport: options.invokeTransport };
  const build = (provider: ProviderName): ProviderAdapterV1 => {
    switch (provider) {
      case 'aws':
        return createAwsLambdaAdapter({ endpoints: endpoints('aws'), ...transport });
      case 'aliyun':
        return createAliyunFcAdapter({ endpoints: endpoints('aliyun'), ...transport });
      case 'tencent':
        return createTencentScfAdapter({ endpoints: endpoints('tencent'), ...transport });
    }
  };

  return {
    adapterFor: (provider) => {
      if (closed) throw new LakefnError('E_DISPATCHER_CLOSED', 'the provider registry is closed');
      let adapter = adapters.get(provider);
      if (adapter === undefined) {
        adapter = build(provider);
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
