export {
  classifyProviderError,
  clockOffsetText,
  platformCodeForFunctionErrorType,
  platformCodeForFunctionStatus,
  stsDeniedMessage,
  type ProviderErrorFacts,
  type ProviderCallSubject,
} from './classify-provider-error.ts';
export {
  COMMON_INVOKE_STATUSES,
  COMMON_STS_STATUSES,
  TIMEOUT_TRANSPORT_CODES,
  isProbeRefusal,
  isStsRefusal,
  lookUpCode,
  type ProviderErrorTable,
  type ProviderCallPhase,
  type ProviderProfile,
} from './provider-error-tables.ts';
export { ProviderSdkError, sanitizeSdkError, redactSecrets } from './provider-sdk-error.ts';
export { createRemoteFunctionError, type RemoteFunctionErrorInput } from './remote-function-error.ts';
export { invokeResultFromReply, type InvokeReply } from './invoke-reply.ts';
export { runProviderCall, type ProviderCallOutcome, type ProviderCallOptions, type DeadlineOutcome } from './run-provider-call.ts';
export { withHttpExchange, emptyHttpExchange, headerValue, parseRetryAfter, type HttpExchange } from './http-exchange.ts';
export { createClientCache, credentialsCacheKey, type ClientCache } from './client-cache.ts';
export { assertPayloadWithinLimit, replyTooLargeError } from './payload-limit.ts';
export { isRecord, stringField, numberField } from './record-fields.ts';
export { NAMESPACE_LABEL_RULE } from './namespace-label.ts';
export { createUndiciPoolCache, type UndiciPoolCache, type UndiciPoolCacheSettings } from './undici-pool-cache.ts';
export { sendHttpInvoke, parseJsonObject, type SignedHttpRequest, type HttpInvokeResponse, type ReplyLimit } from './send-http-invoke.ts';
export { resolveConnectionEndpoints, productionOrigin, tamperedConnectionError, type ConnectionEndpoints, type EndpointConnection } from './connection-endpoints.ts';
export type { InvokeTransport } from '../spec/provider-adapter-v1.ts';
export { ClockOffsets, MAX_CLOCK_CORRECTION_MS, localExpiration, retryWithCorrectedClock, serverTimeOffset } from './clock-offsets.ts';
