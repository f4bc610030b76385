import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { PolicyDocument } from '../spec/policy-document.ts';

/** What a trust policy depends on: the provider, the role (its partition) and the external ID. */
export interface TrustPolicySubject {
  readonly provider: ProviderName;
  readonly roleArn: string;
  readonly externalId: string;
  readonly region?: string;
}

/**
 * The trust policy the customer attaches to the role: only the broker's account may assume it, and only
 * when it presents this connection's external ID (the confused-deputy defence). Exactly the provider's
 * document format, ready to paste into the console. `brokerAccountId` is the broker of the role's partition.
 */
export function trustPolicy(connection: TrustPolicySubject, brokerAccountId: string): PolicyDocument {
  return providerDefinition(connection.provider).policies.trust(connection, brokerAccountId);
}
