import { Sha256 } from '@smithy/core/checksum';
import { extendedEncodeURIComponent, loadRestJsonErrorCode } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  type ClockOffsets,
  type HttpInvokeResponse,
  type ProviderErrorFacts,
  type UndiciPoolCache,
  classifyProviderError,
  createClientCache,
  credentialsCacheKey,
  headerValue,
  invokeResultFromReply,
  parseJsonObject,
  parseRetryAfter,
  replyTooLargeError,
  sendHttpInvoke,
  serverTimeOffset,
} from '../../src/provider-utils/index.ts';
import type { InvokeCallOptionsV1, InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';
import type { AwsLambdaBinding } from './aws-lambda-adapter.ts';
import { awsErrorFacts } from './aws-lambda-error-facts.ts';
import { lambdaReplyFacts } from './aws-lambda-invoke-result.ts';

export interface AwsLambdaHttpInvokeSettings {
  readonly definition: ProviderDefinition;
  readonly pools: UndiciPoolCache;
  /** The adapter's per-endpoint clock offsets: requests are signed at the endpoint's corrected time. */
  readonly clock: ClockOffsets;
  /** Signers kept per (access key, region). @default 256 */
  readonly maxCachedSigners?: number | undefined;
}

/**
 * Lambda Invoke (RequestResponse) over undici, signed by the AWS SDK's own SigV4 signer (`@smithy/signature-v4` with the
 * SHA-256 the Lambda client uses), with the request line and headers the SDK sends, and the SDK's error-code rule
 * (`loadRestJsonErrorCode`: `x-amzn-ErrorType`, then the body's `code` / `__type`). Saves the SDK's middleware stack
 * and node:http per call.
 */
export function createAwsLambdaHttpInvoke(settings: AwsLambdaHttpInvokeSettings): (options: InvokeCallOptionsV1<AwsLambdaBinding>) => Promise<InvokeResultV1> {
  const { definition } = settings;
  // The signer caches its signing key per day, so it is kept per credentials like the SDK clients.
  const signers = createClientCache<SignatureV4>(settings.maxCachedSigners);
  return async (options) => {
    const { credentials, binding } = options;
    const { region } = binding;
    const origin = binding.endpoints.invoke;
    const signer = signers.get(
      credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, region),
      () =>
        new SignatureV4({
          service: 'lambda',
          region,
          credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
          sha256: Sha256,
        }),
    );
    const path = `/2015-03-31/functions/${extendedEncodeURIComponent(options.functionName)}/invocations`;
    const query: Record<string, string> = options.qualifier === undefined ? {} : { Qualifier: options.qualifier };
    const wirePath = options.qualifier === undefined ? path : `${path}?Qualifier=${extendedEncodeURIComponent(options.qualifier)}`;
    const body = Buffer.from(options.payload.buffer, options.payload.byteOffset, options.payload.byteLength);
    const originKey = origin.origin;
    const outcome = await sendHttpInvoke(settings.pools.poolFor(originKey), options, async () => {
      const offset = settings.clock.offsetFor(originKey);
      const request = {
        method: 'POST',
        protocol: origin.protocol,
        hostname: origin.hostname,
        ...(origin.port === '' ? {} : { port: Number(origin.port) }),
        path,
        query,
        headers: {
          'x-amz-invocation-type': 'RequestResponse',
          'x-amz-log-type': options.logTail === true ? 'Tail' : 'None',
          'content-type': 'application/octet-stream',
          'content-length': String(body.byteLength),
          host: origin.host,
        },
        body,
      };
      // the signer reads the clock itself (new Date()) unless given the corrected signing time
      const signed = await (offset === 0 ? signer.sign(request) : signer.sign(request, { signingDate: new Date(Date.now() + offset) }));
      return { path: wirePath, headers: signed.headers, body };
    }, { maxBytes: definition.limits.maxReplyWireBytes, tooLarge: (received) => replyTooLargeError(definition, options.functionName, received) });
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    const subject = { provider: definition, target: options.functionName, timeoutMs: options.timeoutMs } as const;
    if (!outcome.ok) throw classifyProviderError(awsErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline), subject, outcome.error, secrets);
    const response = outcome.value;
    const replyFacts = lambdaReplyFacts(response.headers);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const { facts, cause } = serviceErrorFacts(response, replyFacts.requestId);
      throw classifyProviderError(facts, subject, cause, secrets);
    }
    return invokeResultFromReply({
      provider: definition,
      functionName: options.functionName,
      body: new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength),
      statusCode: response.statusCode,
      ...replyFacts,
      durationMs: outcome.durationMs,
    });
  };
}

/** The facts the SDK's error (name from the error code, `$metadata`, the Retry-After binding) would give. */
function serviceErrorFacts(response: HttpInvokeResponse, requestId: string | undefined): { facts: ProviderErrorFacts; cause: Error } {
  const data = parseJsonObject(response.body) ?? {};
  // The SDK names an error without a code "Unknown".
  const providerCode = loadRestJsonErrorCode({ statusCode: response.statusCode, headers: flatHeaders(response) }, data) ?? 'Unknown';
  const message = typeof data.message === 'string' ? data.message : typeof data.Message === 'string' ? data.Message : 'UnknownError';
  const cause = new Error(message);
  cause.name = providerCode;
  return {
    facts: {
      phase: 'invoke',
      deadline: undefined,
      httpStatus: response.statusCode,
      providerCode,
      requestId,
      retryAfterSeconds: parseRetryAfter(headerValue(response.headers, 'retry-after')),
      serverTimeOffsetMs: serverTimeOffset(headerValue(response.headers, 'date')),
    },
    cause,
  };
}

function flatHeaders(response: HttpInvokeResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(response.headers)) {
    const value = headerValue(response.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}
