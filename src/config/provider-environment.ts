import { LakefnError, quoteValue } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { ProviderCallPhase, ProviderDefinition, ProviderPartition } from '../spec/provider-definition.ts';
import type { BrokerCredentials } from '../spec/temporary-credentials.ts';
import { optionVariable } from './option-variable.ts';

export { optionVariable };

type Environment = Readonly<Record<string, string | undefined>>;

/** `LAKEFN_AWS_LAMBDA_ENDPOINT` etc.: the names `lakefn mock --json` prints. */
export function endpointVariable(provider: ProviderName, phase: ProviderCallPhase): string {
  const definition = providerDefinition(provider);
  return `LAKEFN_${definition.names.environmentPrefix}_${definition.endpoints.apis[phase].toUpperCase()}_ENDPOINT`;
}

/** An endpoint override as a URL (`http://127.0.0.1:4566`), or undefined for the production default. */
export function readEndpoint(provider: ProviderName, phase: ProviderCallPhase, environment: Environment = process.env): URL | undefined {
  const value = environment[endpointVariable(provider, phase)];
  return value === undefined || value === '' ? undefined : new URL(value);
}

/**
 * The partitions of a provider (separate account spaces, each with its own broker identity), the default first. A
 * cloud with one account space has one, named after the provider: its key in config.json's `account_ids`.
 */
export function brokerPartitions(provider: ProviderName): readonly ProviderPartition[] {
  const definition = providerDefinition(provider);
  return definition.broker.partitions?.list ?? [{ id: definition.id, environmentInfix: '' }];
}

/** The partition a connection's role lives in (its region's; CREATE checked the role ARN agrees). */
export function brokerPartitionOf(connection: { readonly provider: ProviderName; readonly region: string }): ProviderPartition {
  const partitions = brokerPartitions(connection.provider);
  const id = providerDefinition(connection.provider).broker.partitions?.ofRegion(connection.region);
  return partitions.find((partition) => partition.id === id) ?? partitions[0]!;
}

/** The key of a partition in config.json's `account_ids`: the provider id for the default partition, else the partition id. */
export function accountIdKey(definition: ProviderDefinition, partition: ProviderPartition): string {
  return partition.environmentInfix === '' ? definition.id : partition.id;
}

/** `LAKEFN_AWS_ACCOUNT_ID`, `LAKEFN_AWS_CN_ACCOUNT_ID`…: the broker's own account, written into trust policies. */
export function accountIdVariable(provider: ProviderName, partition?: ProviderPartition): string {
  return `LAKEFN_${variableStem(provider, partition)}_ACCOUNT_ID`;
}

/**
 * The variables of the broker's long-lived key: the vendor SDK's standard ones in the default partition
 * (`AWS_ACCESS_KEY_ID`…), lakefn's own elsewhere (`LAKEFN_AWS_CN_ACCESS_KEY_ID`, `LAKEFN_AWS_CN_SECRET_ACCESS_KEY`).
 */
export function brokerKeyVariables(provider: ProviderName, partition?: ProviderPartition): readonly [accessKeyId: string, secret: string] {
  if (partition === undefined || partition.environmentInfix === '') return providerDefinition(provider).broker.keyVariables;
  const stem = variableStem(provider, partition);
  return [`LAKEFN_${stem}_ACCESS_KEY_ID`, `LAKEFN_${stem}_SECRET_ACCESS_KEY`];
}

/**
 * The broker account id of a partition: the variable, else (default partition only) the documented demo account.
 * Undefined for another partition that has none: lakefn has no identity there.
 */
export function readBrokerAccountId(provider: ProviderName, environment: Environment = process.env, partition?: ProviderPartition): string | undefined {
  const value = environment[accountIdVariable(provider, partition)];
  if (value !== undefined && value !== '') return value;
  return partition === undefined || partition.environmentInfix === '' ? providerDefinition(provider).broker.defaultAccountId : undefined;
}

/** The broker identity of a partition from the environment, or undefined when either variable is missing. */
export function readBrokerCredentials(provider: ProviderName, environment: Environment = process.env, partition?: ProviderPartition): BrokerCredentials | undefined {
  const [idVariable, secretVariable] = brokerKeyVariables(provider, partition);
  const accessKeyId = environment[idVariable];
  const secretAccessKey = environment[secretVariable];
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/** Every variable lakefn reads for a provider's broker identities, endpoints and options (README tables, `lakefn mock`). */
export function providerVariables(provider: ProviderName): readonly string[] {
  const definition = providerDefinition(provider);
  const endpoints = (['sts', 'invoke'] as const).map((phase) => endpointVariable(provider, phase));
  const identities = brokerPartitions(provider).flatMap((partition) => [accountIdVariable(provider, partition), ...brokerKeyVariables(provider, partition)]);
  const options = (definition.options ?? []).map((option) => optionVariable(definition, option.name));
  return [...endpoints, ...identities, ...options];
}

/**
 * The provider's options that are set (ProviderDefinition.options), from `LAKEFN_<PREFIX>_<NAME>` (an empty one is
 * unset); config.json's `options` reach here through environmentWithConfig. A value that does not fit the option is
 * E_INVALID_ARGUMENT naming the variable, so that a typo is reported by the first call that would use it.
 */
export function readProviderOptions(provider: ProviderName, environment: Environment = process.env): Readonly<Record<string, string>> {
  const definition = providerDefinition(provider);
  const options: Record<string, string> = {};
  for (const option of definition.options ?? []) {
    const variable = optionVariable(definition, option.name);
    const value = environment[variable];
    if (value === undefined || value === '') continue;
    if (value.length > option.maxLength || !option.pattern.test(value)) {
      throw new LakefnError('E_INVALID_ARGUMENT', `${variable} = ${quoteValue(value, 40)} is not valid: ${option.description}`, { location: { provider } });
    }
    options[option.name] = value;
  }
  return options;
}

function variableStem(provider: ProviderName, partition: ProviderPartition | undefined): string {
  const prefix = providerDefinition(provider).names.environmentPrefix;
  return partition === undefined || partition.environmentInfix === '' ? prefix : `${prefix}_${partition.environmentInfix}`;
}
