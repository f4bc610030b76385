import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { PolicyDocument } from '../spec/policy-document.ts';
import type { PermissionPolicySubject as DefinitionSubject } from '../spec/provider-definition.ts';

/** What a permission policy depends on. */
export interface PermissionPolicySubject extends DefinitionSubject {
  readonly provider: ProviderName;
}

/**
 * The least-privilege policy the customer grants the role: invoke functions in the connection's region
 * (and namespace, where the cloud has them) of the customer's account, and read the code bucket when one is set.
 */
export function permissionPolicy(connection: PermissionPolicySubject): PolicyDocument {
  return providerDefinition(connection.provider).policies.permission(connection);
}
