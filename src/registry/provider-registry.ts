import { createAliyunFcAdapter } from '../../providers/aliyun-fc/index.ts';
import { createAwsLambdaAdapter } from '../../providers/aws-lambda/index.ts';
import { createTencentScfAdapter } from '../../providers/tencent-scf/index.ts';
import { EMPTY_CONFIG, type LakefnConfig, resolveEndpoint } from '../config/lakefn-config.ts';
import { PROVIDER_APIS } from '../config/provider-environment.ts';
import { LakefnError } from '../errors/index.ts';
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
  const build = (provider: ProviderName): ProviderAdapterV1 => {
    switch (provider) {
      case 'aws':
        return createAwsLambdaAdapter({ endpoints: endpoints('aws') });
      case 'aliyun':
        return createAliyunFcAdapter({ endpoints: endpoints('aliyun') });
      case 'tencent':
        return createTencentScfAdapter({ endpoints: endpoints('tencent') });
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
