import { PROVIDERS } from '../../src/registry/providers.ts';
import type { MockProvider } from '../mock-provider.ts';

/**
 * The mock of every cloud in `PROVIDERS`, in that order: `mocks/providers/<folder>/index.ts` of each definition's
 * folder, whose default export is its MockProvider. Deriving the list from the definitions keeps a new cloud to its
 * own two folders (providers/<folder>, mocks/providers/<folder>) and one line in PROVIDERS.
 */
export async function loadMockProviders(): Promise<readonly MockProvider[]> {
  return Promise.all(
    PROVIDERS.map(async (definition) => {
      const module = (await import(`./${definition.folder}/index.ts`)) as { readonly default?: MockProvider };
      const provider = module.default;
      if (provider?.id !== definition.id) {
        throw new Error(`mocks/providers/${definition.folder}/index.ts must export the MockProvider of '${definition.id}' as default`);
      }
      return provider;
    }),
  );
}
