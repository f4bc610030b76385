import type { ProviderDefinition } from '../spec/provider-definition.ts';

/** `LAKEFN_AWS_STS_REGION` for AWS's `sts_region`: the variable of a provider option (ProviderDefinition.options). */
export function optionVariable(definition: Pick<ProviderDefinition, 'names'>, name: string): string {
  return `LAKEFN_${definition.names.environmentPrefix}_${name.toUpperCase()}`;
}
