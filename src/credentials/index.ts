export { createCredentialBroker, type CredentialBroker, type CredentialBrokerOptions, type CredentialEvent, type RefreshReason } from './credential-broker.ts';
export { invokeWithCredentials } from './invoke-with-credentials.ts';
export { validateConnection, type ConnectionValidation, type ValidateConnectionOptions } from './validate-connection.ts';
export { requireBrokerCredentials, requireBrokerAccountId, type BrokerTarget } from './broker-identity.ts';
export { sessionNameFor, SESSION_NAME_PATTERN } from './session-name.ts';
export { credentialFreshness, MINIMUM_REMAINING_MS, type CredentialFreshness } from './refresh-windows.ts';
