import type { Command } from 'commander';
import type { CatalogStore } from '../../store/catalog-store.ts';
import { openCatalogStore } from '../../store/open-catalog-store.ts';
import type { CliContext } from '../cli-context.ts';
import { globalOptions } from '../global-options.ts';

/** Opens the catalog (--home, LAKEFN_HOME, LAKEFN_STORE) for `work` and always closes it. */
export async function withCatalogStore<T>(context: CliContext, command: Command, work: (store: CatalogStore) => Promise<T>): Promise<T> {
  const store = await openCatalogStore({ home: globalOptions(command).home, environment: context.environment });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
