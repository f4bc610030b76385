import { randomUUID } from 'node:crypto';
import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { sdkVersion } from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sdk_version.js';
import type { LakefnError } from '../../src/errors/index.ts';
import {
  type ClockOffsets,
  type ProviderCallOptions,
  type ProviderErrorFacts,
  type UndiciPoolCache,
  headerValue,
  isRecord,
  parseJsonObject,
  parseRetryAfter,
  replyTooLargeError,
  sendHttpInvoke,
  serverTimeOffset,
  stringField,
} from '../../src/provider-utils/index.ts';
import type { InvokeCallOptionsV1, InvokeResultV1, ProviderCallPhase, ProviderDefinition } from '../../src/spec/index.ts';
import type { TencentScfBinding } from './tencent-scf-adapter.ts';
import { scfCallError, scfInvokeResult } from './tencent-scf-invoke-result.ts';

export interface TencentScfHttpInvokeSettings {
  readonly definition: ProviderDefinition;
  readonly pools: UndiciPoolCache;
  /** The adapter's per-endpoint clock offsets: requests are signed at the endpoint's corrected time. */
  readonly clock: ClockOffsets;
}

const SCF_API_VERSION = '2018-04-16';
const Sign = signModule.default;
// As the SDK's AbstractClient names itself.
const REQUEST_CLIENT = `SDK_NODEJS_${sdkVersion}`;

/**
 * SCF InvokeFunction over undici (see sendTencentApi), with the JSON body the SDK sends; the answer is read like the
 * SDK's (scfInvokeResult / scfCallError).
 */
export function createTencentScfHttpInvoke(settings: TencentScfHttpInvokeSettings): (options: InvokeCallOptionsV1<TencentScfBinding>, event: string) => Promise<InvokeResultV1> {
  const { definition } = settings;
  return async (options, event) => {
    const { credentials, binding } = options;
    const body = Buffer.from(
      JSON.stringify({
        FunctionName: options.functionName,
        Namespace: binding.namespace,
        Event: event,
        LogType: options.logTail === true ? 'Tail' : 'None',
        ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
      }),
    );
    const answer = await sendTencentApi(settings, {
      phase: 'invoke',
      origin: binding.endpoints.invoke,
      action: 'InvokeFunction',
      version: SCF_API_VERSION,
      region: binding.region,
      body,
      credentials: { secretId: credentials.accessKeyId, secretKey: credentials.secretAccessKey, token: credentials.sessionToken },
      call: options,
      maxReplyBytes: definition.limits.maxReplyWireBytes,
      tooLarge: (received) => replyTooLargeError(definition, options.functionName, received),
    });
    const call = { definition, functionName: options.functionName, timeoutMs: options.timeoutMs, secrets: [credentials.secretAccessKey, credentials.sessionToken] };
    if (answer.kind === 'error') throw scfCallError(answer.facts, answer.message, answer.cause, call);
    return scfInvokeResult(answer.data, answer.durationMs, call);
  };
}

/** One Tencent Cloud API 3.0 request (POST /, JSON body). */
export interface TencentApiRequest {
  readonly phase: ProviderCallPhase;
  readonly origin: URL;
  readonly action: string;
  readonly version: string;
  readonly region: string;
  readonly body: Buffer;
  readonly credentials: { readonly secretId: string; readonly secretKey: string; readonly token?: string | undefined };
  /** The call's timeout and abort signal. */
  readonly call: ProviderCallOptions;
  /** The most of an answer read, and the error for more. */
  readonly maxReplyBytes: number;
  readonly tooLarge: (receivedBytes: number | undefined) => LakefnError;
}

/** The API's `Response` object, or the facts of its failure (message: the API error's Message, for the caller). */
export type TencentApiAnswer =
  | { readonly kind: 'response'; readonly data: Record<string, unknown>; readonly durationMs: number }
  | { readonly kind: 'error'; readonly facts: ProviderErrorFacts; readonly message: string; readonly cause: unknown };

/**
 * A Tencent Cloud API 3.0 request over undici, signed by the Tencent SDK's own TC3-HMAC-SHA256 signer (`Sign.sign3` of
 * tencentcloud-sdk-nodejs-common) with the headers the SDK sends, at the endpoint's corrected time. The SDK itself
 * cannot sign at another time: HttpConnection.doRequestWithSign3 takes the timestamp from `new Date()` and writes
 * X-TC-Timestamp after any caller headers (tencentcloud/common/http/http_connection.js), which is why STS calls go
 * this way too. Read like the SDK reads an answer: the credential scope's service is the endpoint host's first DNS
 * label, a non-200 answer is an HTTP error without a code, `Response.Error` is an API error with its code and request
 * id. Never rejects except with `tooLarge` for an answer above `maxReplyBytes`.
 */
export async function sendTencentApi(settings: Pick<TencentScfHttpInvokeSettings, 'pools' | 'clock'>, request: TencentApiRequest): Promise<TencentApiAnswer> {
  const { origin, credentials, body } = request;
  const originKey = origin.origin;
  const url = `${originKey}/`;
  const service = origin.host.split('.')[0] ?? 'scf';
  const outcome = await sendHttpInvoke(settings.pools.poolFor(originKey), request.call, () => {
    const timestamp = Math.floor(settings.clock.now(originKey) / 1000);
    const headers: Record<string, string> = {
      'X-TC-TraceId': randomUUID(),
      Host: origin.host,
      'X-TC-Action': request.action,
      'X-TC-Region': request.region,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Version': request.version,
      'X-TC-RequestClient': REQUEST_CLIENT,
      'Content-Type': 'application/json',
    };
    // temporary credentials only; unsigned, like the SDK sends it
    if (credentials.token !== undefined) headers['X-TC-Token'] = credentials.token;
    headers.Authorization = Sign.sign3({
      method: 'POST',
      url,
      payload: body,
      timestamp,
      service,
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      multipart: false,
      boundary: '',
      headers,
    });
    return { path: '/', headers, body };
  }, { maxBytes: request.maxReplyBytes, tooLarge: request.tooLarge });
  const { phase } = request;
  if (!outcome.ok) {
    // No HTTP answer: a socket error (undici's `code`), lakefn's deadline or the caller's abort.
    const transportCode = outcome.deadline === undefined ? stringField(outcome.error, 'code') : undefined;
    return { kind: 'error', facts: { phase, deadline: outcome.deadline, transportCode }, message: '', cause: outcome.error };
  }
  const response = outcome.value;
  const retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'));
  if (response.statusCode !== 200) {
    const cause = new Error(`HTTP ${response.statusCode}`);
    cause.name = 'TencentCloudSDKHttpException';
    return { kind: 'error', facts: { phase, httpStatus: response.statusCode, retryAfterSeconds }, message: '', cause };
  }
  const reply = parseJsonObject(response.body);
  const data = isRecord(reply?.Response) ? reply.Response : undefined;
  const apiError = isRecord(data?.Error) ? data.Error : undefined;
  if (data === undefined || apiError !== undefined) {
    const message = stringField(apiError, 'Message') ?? (data === undefined ? 'the answer is not a Tencent Cloud API response' : '');
    const cause = new Error(message);
    cause.name = 'TencentCloudSDKHttpException';
    const facts = {
      phase,
      httpStatus: response.statusCode,
      providerCode: stringField(apiError, 'Code'),
      requestId: stringField(data, 'RequestId'),
      retryAfterSeconds,
      serverTimeOffsetMs: serverTimeOffset(headerValue(response.headers, 'date')),
    };
    return { kind: 'error', facts, message, cause };
  }
  return { kind: 'response', data, durationMs: outcome.durationMs };
}
