/**
 * The catalog's provider names (what users write in DDL): the ids of the definitions in `src/registry`'s
 * `PROVIDERS`, derived from that list so that a new cloud is one line there.
 */
export type { ProviderName } from '../registry/providers.ts';
