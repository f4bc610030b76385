import { accountIdKey, accountIdVariable, brokerKeyVariables, brokerPartitionOf, readBrokerAccountId, readBrokerCredentials } from '../config/provider-environment.ts';
import { LakefnError } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { BrokerCredentials } from '../spec/temporary-credentials.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** Where a connection's role lives: the provider and the region (whose partition picks the broker identity). */
export interface BrokerTarget {
  readonly provider: ProviderName;
  readonly region: string;
}

/**
 * lakefn's own long-lived keys for the connection's partition (AWS China and GovCloud have their own), or
 * E_NO_BROKER_CREDENTIALS naming the variables to set.
 */
export function requireBrokerCredentials(target: BrokerTarget, environment: Environment): BrokerCredentials {
  const partition = brokerPartitionOf(target);
  const credentials = readBrokerCredentials(target.provider, environment, partition);
  if (credentials !== undefined) return credentials;
  const [idVariable, secretVariable] = brokerKeyVariables(target.provider, partition);
  throw new LakefnError(
    'E_NO_BROKER_CREDENTIALS',
    `lakefn has no broker identity for ${describePartition(target)}: set ${idVariable} and ${secretVariable} to the access key of the broker's own account ` +
      "(the account the connections' trust policies name)",
    { location: { provider: target.provider } },
  );
}

/**
 * The broker account of the connection's partition (the principal of its trust policy), or E_NO_BROKER_CREDENTIALS
 * naming what to configure: a partition other than the default has no documented demo account, and an account of
 * another partition cannot be trusted there.
 */
export function requireBrokerAccountId(target: BrokerTarget, environment: Environment): string {
  const partition = brokerPartitionOf(target);
  const accountId = readBrokerAccountId(target.provider, environment, partition);
  if (accountId !== undefined) return accountId;
  const [idVariable, secretVariable] = brokerKeyVariables(target.provider, partition);
  const definition = providerDefinition(target.provider);
  throw new LakefnError(
    'E_NO_BROKER_CREDENTIALS',
    `lakefn has no broker identity for ${describePartition(target)} (REGION '${target.region}'; an account of one partition cannot be trusted in another): ` +
      `set ${accountIdVariable(target.provider, partition)} (or account_ids.${accountIdKey(definition, partition)} in config.json) to the broker's account in that partition, ` +
      `and ${idVariable} / ${secretVariable} to its access key where lakefn calls STS`,
    { location: { provider: target.provider } },
  );
}

function describePartition(target: BrokerTarget): string {
  const partition = brokerPartitionOf(target);
  return partition.environmentInfix === '' ? target.provider : `${target.provider} partition ${partition.id}`;
}
