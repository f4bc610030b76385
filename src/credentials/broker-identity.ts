import { BROKER_KEY_VARIABLES, readBrokerCredentials } from '../config/provider-environment.ts';
import { LakefnError } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { BrokerCredentials } from '../spec/temporary-credentials.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** lakefn's own long-lived keys for `provider`, or E_NO_BROKER_CREDENTIALS naming the variables to set. */
export function requireBrokerCredentials(provider: ProviderName, environment: Environment): BrokerCredentials {
  const credentials = readBrokerCredentials(provider, environment);
  if (credentials !== undefined) return credentials;
  const [idVariable, secretVariable] = BROKER_KEY_VARIABLES[provider];
  throw new LakefnError(
    'E_NO_BROKER_CREDENTIALS',
    `lakefn has no broker identity for ${provider}: set ${idVariable} and ${secretVariable} to the access key of the broker's own account (the account the connections' trust policies name)`,
    { location: { provider } },
  );
}
