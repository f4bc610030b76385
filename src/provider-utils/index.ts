export { classifyProviderError, platformCodeForFunctionStatus, serviceName, stsDeniedMessage, type ProviderErrorFacts, type ProviderCallSubject } from './classify-provider-error.ts';
export { PROVIDER_ERROR_TABLES, TIMEOUT_TRANSPORT_CODES, type ProviderErrorTable, type ProviderCallPhase } from './provider-error-tables.ts';
export { ProviderSdkError, sanitizeSdkError, redactSecrets } from './provider-sdk-error.ts';
export { createRemoteFunctionError, type RemoteFunctionErrorInput } from './remote-function-error.ts';
export { runProviderCall, type ProviderCallOutcome, type ProviderCallOptions, type DeadlineOutcome } from './run-provider-call.ts';
export { withHttpExchange, headerValue, parseRetryAfter, type HttpExchange } from './http-exchange.ts';
export { createClientCache, credentialsCacheKey, type ClientCache } from './client-cache.ts';
export { PAYLOAD_LIMITS, assertPayloadWithinLimit } from './payload-limit.ts';
export { isRecord, stringField, numberField } from './record-fields.ts';
