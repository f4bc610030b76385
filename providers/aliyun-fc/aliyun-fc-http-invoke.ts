import { OpenApiUtil } from '@alicloud/openapi-core';
import dara from '@darabonba/typescript';
import {
  type ClockOffsets,
  type HttpInvokeResponse,
  type ProviderErrorFacts,
  type UndiciPoolCache,
  classifyProviderError,
  headerValue,
  parseJsonObject,
  parseRetryAfter,
  replyTooLargeError,
  sendHttpInvoke,
  serverTimeOffset,
} from '../../src/provider-utils/index.ts';
import type { InvokeCallOptionsV1, InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';
import type { AliyunFcBinding } from './aliyun-fc-adapter.ts';
import { aliyunErrorFacts } from './aliyun-fc-error-facts.ts';
import { fcInvokeResult } from './aliyun-fc-invoke-result.ts';

export interface AliyunFcHttpInvokeSettings {
  readonly definition: ProviderDefinition;
  readonly pools: UndiciPoolCache;
  /** The adapter's per-endpoint clock offsets: requests are signed at the endpoint's corrected time. */
  readonly clock: ClockOffsets;
}

const SIGNATURE_ALGORITHM = 'ACS3-HMAC-SHA256';
const API_VERSION = '2023-03-30';
// What @alicloud/credentials reports for static STS credentials; openapi-core sends and signs it.
const CREDENTIALS_PROVIDER = 'static_sts';
type SignableRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/**
 * FC 3.0 InvokeFunction (Sync) over undici, signed by openapi-core's own ACS3-HMAC-SHA256 helpers
 * (`OpenApiUtil.getAuthorization`, `hash`, `getTimestamp`, `getNonce`) over the headers openapi-core builds for a ROA
 * call with a stream body, and with its error reading (`Code` / `RequestId` from the JSON body, `x-acs-retry-after`
 * for throttling codes).
 */
export function createAliyunFcHttpInvoke(settings: AliyunFcHttpInvokeSettings): (options: InvokeCallOptionsV1<AliyunFcBinding>) => Promise<InvokeResultV1> {
  const { definition } = settings;
  const userAgent = OpenApiUtil.getUserAgent('');
  return async (options) => {
    const { credentials, binding } = options;
    const origin = binding.endpoints.invoke;
    const pathname = `/${API_VERSION}/functions/${dara.URL.percentEncode(options.functionName)}/invocations`;
    const query: Record<string, string> = options.qualifier === undefined ? {} : { qualifier: options.qualifier };
    const wirePath = options.qualifier === undefined ? pathname : `${pathname}?qualifier=${encodeURIComponent(options.qualifier)}`;
    const body = Buffer.from(options.payload.buffer, options.payload.byteOffset, options.payload.byteLength);
    const originKey = origin.origin;
    const outcome = await sendHttpInvoke(settings.pools.poolFor(originKey), options, () => {
      const offset = settings.clock.offsetFor(originKey);
      const headers: Record<string, string> = {
        host: origin.host,
        'x-acs-version': API_VERSION,
        'x-acs-action': 'InvokeFunction',
        'user-agent': userAgent,
        'x-acs-date': offset === 0 ? OpenApiUtil.getTimestamp() : acsTimestamp(Date.now() + offset),
        'x-acs-signature-nonce': OpenApiUtil.getNonce(),
        accept: 'application/json',
        'x-fc-invocation-type': 'Sync',
        'x-fc-log-type': options.logTail === true ? 'Tail' : 'None',
        'content-type': 'application/octet-stream',
        'x-acs-content-sha256': OpenApiUtil.hash(body, SIGNATURE_ALGORITHM).toString('hex'),
        'x-acs-credentials-provider': CREDENTIALS_PROVIDER,
        'x-acs-accesskey-id': credentials.accessKeyId,
        'x-acs-security-token': credentials.sessionToken,
      };
      const signable = { pathname, method: 'POST', query, headers } as unknown as SignableRequest;
      headers.Authorization = OpenApiUtil.getAuthorization(signable, SIGNATURE_ALGORITHM, headers['x-acs-content-sha256'] ?? '', credentials.accessKeyId, credentials.secretAccessKey);
      return { path: wirePath, headers, body };
    }, { maxBytes: definition.limits.maxReplyWireBytes, tooLarge: (received) => replyTooLargeError(definition, options.functionName, received) });
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    const subject = { provider: definition, target: options.functionName, timeoutMs: options.timeoutMs } as const;
    if (!outcome.ok) throw classifyProviderError(aliyunErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline), subject, outcome.error, secrets);
    const response = outcome.value;
    if (response.statusCode >= 400 && response.statusCode < 600) {
      const { facts, cause } = serviceErrorFacts(response);
      throw classifyProviderError(facts, subject, cause, secrets);
    }
    return fcInvokeResult(definition, options.functionName, {
      body: new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength),
      statusCode: response.statusCode,
      headers: response.headers,
      durationMs: outcome.durationMs,
    });
  };
}

/** The facts openapi-core's ClientError / ServerError / ThrottlingError would carry (see aliyunErrorFacts). */
function serviceErrorFacts(response: HttpInvokeResponse): { facts: ProviderErrorFacts; cause: Error } {
  const error = parseJsonObject(response.body) ?? {};
  const code = textField(error, 'Code') ?? textField(error, 'code');
  const requestId = textField(error, 'RequestId') ?? textField(error, 'requestId');
  const message = textField(error, 'Message') ?? textField(error, 'message');
  const headers = response.headers;
  // openapi-core reads x-acs-retry-after only into a ThrottlingError (a code containing "Throttling").
  const throttlingRetryAfter = code?.includes('Throttling') === true ? parseRetryAfter(integerText(headerValue(headers, 'x-acs-retry-after'))) : undefined;
  const cause = new Error(`code: ${response.statusCode}, ${message} request id: ${requestId}`);
  cause.name = code?.includes('Throttling') === true ? 'ThrottlingError' : response.statusCode < 500 ? 'ClientError' : 'ServerError';
  return {
    facts: {
      phase: 'invoke',
      deadline: undefined,
      httpStatus: response.statusCode,
      providerCode: code,
      requestId: requestId ?? headerValue(headers, 'x-fc-request-id') ?? headerValue(headers, 'x-acs-request-id'),
      retryAfterSeconds: throttlingRetryAfter ?? parseRetryAfter(headerValue(headers, 'retry-after')) ?? parseRetryAfter(headerValue(headers, 'x-acs-retry-after')),
      serverTimeOffsetMs: serverTimeOffset(headerValue(headers, 'date')),
    },
    cause,
  };
}

function textField(object: Record<string, unknown>, name: string): string | undefined {
  const value = object[name];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** openapi-core's parseInt of the header: leading digits only. */
function integerText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = Number.parseInt(value, 10);
  return Number.isNaN(parsed) ? undefined : String(parsed);
}

/** `2026-01-02T03:04:05Z`: the x-acs-date form of OpenApiUtil.getTimestamp, for a corrected signing time. */
export function acsTimestamp(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
