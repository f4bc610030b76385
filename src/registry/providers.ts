import aliyunFc from '../../providers/aliyun-fc/index.ts';
import awsLambda from '../../providers/aws-lambda/index.ts';
import huaweiFunctionGraph from '../../providers/huawei-functiongraph/index.ts';
import tencentScf from '../../providers/tencent-scf/index.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';

/**
 * Every cloud lakefn speaks, one definition each (providers/<folder>/index.ts). Adding a cloud is a new folder and one
 * line here: the catalog rules, configuration schema, environment variables, CLI flags, SQL properties, the demo and
 * the mock cloud all derive from this list. The order is the order of listings (README tables, `lakefn mock`).
 */
export const PROVIDERS = [aliyunFc, tencentScf, awsLambda, huaweiFunctionGraph] as const satisfies readonly ProviderDefinition[];

/** A provider id (`PROVIDER = 'aws'` in DDL), as the catalog stores it. */
export type ProviderName = (typeof PROVIDERS)[number]['id'];

/** The provider ids, in PROVIDERS order (for CLI choices, messages and loops). */
export const PROVIDER_NAMES: readonly ProviderName[] = PROVIDERS.map((definition) => definition.id);

const BY_ID: ReadonlyMap<string, ProviderDefinition> = new Map(PROVIDERS.map((definition) => [definition.id, definition]));

export function isProviderName(value: string): value is ProviderName {
  return BY_ID.has(value);
}

/** The definition of a provider id (the id was validated when the connection was made or read). */
export function providerDefinition(provider: ProviderName): ProviderDefinition {
  const definition = BY_ID.get(provider);
  // Unreachable for a ProviderName; kept as the invariant the type states.
  if (definition === undefined) throw new Error(`internal: no provider definition for '${provider}'`);
  return definition;
}
