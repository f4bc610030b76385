import type { Command } from 'commander';
import { type LakefnConfig, environmentWithConfig, loadLakefnConfig } from '../config/lakefn-config.ts';
import type { ProviderRegistry } from '../registry/provider-registry.ts';
import type { ExecutionServices } from '../sql/execute-services.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import { openCatalogStore, resolveHome } from '../store/open-catalog-store.ts';
import type { CliContext } from './cli-context.ts';
import { globalOptions } from './global-options.ts';

/**
 * The services a CLI command's statements run with. This is the one place where the CLI wires in
 * provider access: VALIDATE calls STS through the provider registry, created only when a statement
 * needs it (most commands never touch a provider). A CLI process is short-lived, so there is no
 * credential cache to invalidate (`onConnectionChanged`).
 */
export function createServices(store: CatalogStore, context: CliContext, providers: LazyProviderRegistry, config?: LakefnConfig): ExecutionServices {
  return {
    store,
    environment: context.environment,
    ...(config === undefined ? {} : { config }),
    validateConnection: async (connection) => {
      // loaded on use: the vendor SDKs cost seconds of start-up that catalog-only commands must not pay
      const { validateConnection } = await import('../credentials/validate-connection.ts');
      const registry = await providers.get();
      return validateConnection(connection, { adapterFor: (provider) => registry.adapterFor(provider), environment: context.environment });
    },
  };
}

/** A provider registry built on first use and closed with the command. */
export interface LazyProviderRegistry {
  get(): Promise<ProviderRegistry>;
  close(): Promise<void>;
}

export function createLazyProviderRegistry(environment: CliContext['environment'], config?: LakefnConfig): LazyProviderRegistry {
  let registry: Promise<ProviderRegistry> | undefined;
  return {
    get: () =>
      (registry ??= import('../registry/provider-registry.ts').then(({ createProviderRegistry }) => createProviderRegistry({ environment, ...(config === undefined ? {} : { config }) }))),
    close: async () => (await registry)?.close(),
  };
}

/**
 * Opens the catalog (LAKEFN_STORE=postgres://… or SQLite in --home / LAKEFN_HOME / ./.lakefn), runs
 * `work` with the services, and always closes the store.
 */
export async function withServices<T>(context: CliContext, command: Command, work: (services: ExecutionServices) => Promise<T>): Promise<T> {
  const { home } = globalOptions(command);
  const config = loadLakefnConfig(resolveHome(home, context.environment));
  const store = await openCatalogStore({ home, environment: context.environment });
  const providers = createLazyProviderRegistry(context.environment, config);
  try {
    // config.json's account ids reach DESC API CONNECTION through the environment (variables win)
    return await work(createServices(store, { ...context, environment: environmentWithConfig(context.environment, config) }, providers, config));
  } finally {
    await providers.close();
    await store.close();
  }
}

/** Where a CLI-built statement "starts": commands build statements from flags, not from source text. */
export function cliOrigin(commandLine: string): { readonly position: { readonly line: number; readonly column: number }; readonly text: string } {
  return { position: { line: 1, column: 1 }, text: commandLine };
}
