import { randomUUID } from 'node:crypto';
import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { sdkVersion } from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sdk_version.js';
import {
  type UndiciPoolCache,
  headerValue,
  isRecord,
  parseJsonObject,
  parseRetryAfter,
  replyTooLargeError,
  sendHttpInvoke,
  stringField,
} from '../../src/provider-utils/index.ts';
import type { InvokeCallOptionsV1, InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';
import type { TencentScfBinding } from './tencent-scf-adapter.ts';
import { scfCallError, scfInvokeResult } from './tencent-scf-invoke-result.ts';

export interface TencentScfHttpInvokeSettings {
  readonly definition: ProviderDefinition;
  readonly pools: UndiciPoolCache;
}

const SCF_API_VERSION = '2018-04-16';
const Sign = signModule.default;
// As the SDK's AbstractClient names itself.
const REQUEST_CLIENT = `SDK_NODEJS_${sdkVersion}`;

/**
 * SCF InvokeFunction over undici, signed by the Tencent SDK's own TC3-HMAC-SHA256 signer (`Sign.sign3` of
 * tencentcloud-sdk-nodejs-common, the module the SCF client signs with) with the headers and JSON body the SDK sends.
 * Like the SDK: the credential scope's service is the endpoint host's first DNS label, a non-200 answer is an HTTP
 * error without a code, and `Response.Error` is an API error with its code and request id.
 */
export function createTencentScfHttpInvoke(settings: TencentScfHttpInvokeSettings): (options: InvokeCallOptionsV1<TencentScfBinding>, event: string) => Promise<InvokeResultV1> {
  const { definition } = settings;
  return async (options, event) => {
    const { credentials, binding } = options;
    const { region } = binding;
    const origin = binding.endpoints.invoke;
    const url = `${origin.origin}/`;
    const service = origin.host.split('.')[0] ?? 'scf';
    const body = Buffer.from(
      JSON.stringify({
        FunctionName: options.functionName,
        Namespace: binding.namespace,
        Event: event,
        LogType: options.logTail === true ? 'Tail' : 'None',
        ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
      }),
    );
    const outcome = await sendHttpInvoke(settings.pools.poolFor(origin.origin), options, () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'X-TC-TraceId': randomUUID(),
        Host: origin.host,
        'X-TC-Action': 'InvokeFunction',
        'X-TC-Region': region,
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Version': SCF_API_VERSION,
        'X-TC-Token': credentials.sessionToken,
        'X-TC-RequestClient': REQUEST_CLIENT,
        'Content-Type': 'application/json',
      };
      headers.Authorization = Sign.sign3({
        method: 'POST',
        url,
        payload: body,
        timestamp,
        service,
        secretId: credentials.accessKeyId,
        secretKey: credentials.secretAccessKey,
        multipart: false,
        boundary: '',
        headers,
      });
      return { path: '/', headers, body };
    }, { maxBytes: definition.limits.maxReplyWireBytes, tooLarge: (received) => replyTooLargeError(definition, options.functionName, received) });
    const call = { definition, functionName: options.functionName, timeoutMs: options.timeoutMs, secrets: [credentials.secretAccessKey, credentials.sessionToken] };
    if (!outcome.ok) {
      // No HTTP answer: a socket error (undici's `code`), lakefn's deadline or the caller's abort.
      const transportCode = outcome.deadline === undefined ? stringField(outcome.error, 'code') : undefined;
      throw scfCallError({ phase: 'invoke', deadline: outcome.deadline, transportCode }, '', outcome.error, call);
    }
    const response = outcome.value;
    const retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'));
    if (response.statusCode !== 200) {
      const cause = new Error(`HTTP ${response.statusCode}`);
      cause.name = 'TencentCloudSDKHttpException';
      throw scfCallError({ phase: 'invoke', httpStatus: response.statusCode, retryAfterSeconds }, '', cause, call);
    }
    const reply = parseJsonObject(response.body);
    const data = isRecord(reply?.Response) ? reply.Response : undefined;
    const apiError = isRecord(data?.Error) ? data.Error : undefined;
    if (data === undefined || apiError !== undefined) {
      const message = stringField(apiError, 'Message') ?? (data === undefined ? 'the answer is not a Tencent Cloud API response' : '');
      const cause = new Error(message);
      cause.name = 'TencentCloudSDKHttpException';
      const facts = { phase: 'invoke', httpStatus: response.statusCode, providerCode: stringField(apiError, 'Code'), requestId: stringField(data, 'RequestId'), retryAfterSeconds } as const;
      throw scfCallError(facts, message, cause, call);
    }
    return scfInvokeResult(data, outcome.durationMs, call);
  };
}
