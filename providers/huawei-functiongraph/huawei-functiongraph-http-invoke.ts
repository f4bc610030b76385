import { createHash } from 'node:crypto';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import { type ClockOffsets, type UndiciPoolCache, classifyProviderError, replyTooLargeError, sendHttpInvoke } from '../../src/provider-utils/index.ts';
import type { InvokeCallOptionsV1, InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';
import type { HuaweiFunctionGraphBinding } from './huawei-functiongraph-adapter.ts';
import { huaweiServiceError, huaweiTransportFacts } from './huawei-functiongraph-error-facts.ts';
import { functionGraphInvokeResult } from './huawei-functiongraph-invoke-result.ts';

/** Keys that sign a request: long-lived (the broker's) or temporary (with their security token). */
export interface HuaweiSigningKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly securityToken?: string | undefined;
  /** Project-scoped services get `X-Project-Id`, as the SDK adds it for a credential with a project id. */
  readonly projectId?: string | undefined;
}

export interface HuaweiRequestToSign {
  readonly method: 'GET' | 'POST';
  /** The origin calls go to. */
  readonly origin: URL;
  /** The path as sent (a function URN stays raw, as the SDK sends it; the signer encodes it for the canonical URI). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes sent. */
  readonly body: Buffer | undefined;
  /** The endpoint's clock offset (ClockOffsets): a non-zero one signs at the corrected time. @default 0 */
  readonly clockOffsetMs?: number;
}

/**
 * Signs a request with the SDK's own SDK-HMAC-SHA256 signer (`AKSKSigner.sign` of @huaweicloud/huaweicloud-sdk-core),
 * adding what its `processAuthRequest` adds: `X-Security-Token` for temporary credentials and `X-Project-Id` for a
 * project. Every header given is signed, as the SDK signs every header of its request. The SDK hashes
 * `JSON.stringify(request.data)`; lakefn's payload is already encoded (and re-encoding it would not be lossless), so
 * the hash of the exact bytes goes into `X-Sdk-Content-Sha256`, the header the signer takes the payload hash from.
 * Returns the headers to send (with `host`, `X-Sdk-Date` and `Authorization`). The signer reads the clock itself
 * (`moment()`) unless the request already carries `X-Sdk-Date`, which it then signs as given: a clock offset goes in
 * that way, in the signer's own `YYYYMMDDTHHmmssZ` form.
 */
export function signHuaweiRequest(request: HuaweiRequestToSign, keys: HuaweiSigningKeys): Record<string, string> {
  const credentials = new BasicCredentials().withAk(keys.accessKeyId).withSk(keys.secretAccessKey);
  const headers: Record<string, string> = { ...request.headers };
  const offset = request.clockOffsetMs ?? 0;
  if (offset !== 0) headers[SDK_DATE_HEADER] = new Date(Date.now() + offset).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  if (keys.securityToken !== undefined) headers['X-Security-Token'] = keys.securityToken;
  if (keys.projectId !== undefined) headers['X-Project-Id'] = keys.projectId;
  if (request.body !== undefined) headers['X-Sdk-Content-Sha256'] = createHash('sha256').update(request.body).digest('hex');
  const signed = AKSKSigner.sign({ endpoint: `${request.origin.origin}${request.path}`, method: request.method, queryParams: request.query ?? {}, headers }, credentials) as Record<string, string>;
  return signed;
}

/** AKSKSigner.HeaderXDate (protected in its typings). */
const SDK_DATE_HEADER = 'X-Sdk-Date';

export interface HuaweiHttpInvokeSettings {
  readonly definition: ProviderDefinition;
  readonly pools: UndiciPoolCache;
  /** The adapter's per-endpoint clock offsets. */
  readonly clock: ClockOffsets;
}

/** Where one invocation goes: the project of the agency's account in the region, and the function's URN. */
export interface FunctionGraphTarget {
  readonly projectId: string;
  /** `urn:fss:<region>:<project>:function:<package>:<name>:<version or !alias>` */
  readonly functionUrn: string;
}

/**
 * FunctionGraph synchronous invocation over undici: `POST /v2/{project_id}/fgs/functions/{function_urn}/invocations`
 * with the headers the SDK's InvokeFunction sends (`Content-Type: application/json`, `X-CFF-Request-Version: v1` for
 * the JSON answer, `X-Cff-Log-Type: tail` for the last 4 KB of the log), signed as above. The SDK's FunctionGraph
 * client keeps only `X-Cff-Request-Id` of the answer, and the function-error headers are needed, so the request is
 * sent by lakefn. The reply is read up to the provider's wire cap while it streams.
 */
export function createHuaweiHttpInvoke(settings: HuaweiHttpInvokeSettings): (options: InvokeCallOptionsV1<HuaweiFunctionGraphBinding>, target: FunctionGraphTarget) => Promise<InvokeResultV1> {
  const { definition } = settings;
  return async (options, target) => {
    const { credentials, binding } = options;
    const origin = binding.endpoints.invoke;
    const path = `/v2/${target.projectId}/fgs/functions/${target.functionUrn}/invocations`;
    const body = Buffer.from(options.payload.buffer, options.payload.byteOffset, options.payload.byteLength);
    const keys = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, securityToken: credentials.sessionToken, projectId: target.projectId };
    const originKey = origin.origin;
    const outcome = await sendHttpInvoke(
      settings.pools.poolFor(originKey),
      options,
      () => {
        const headers = { 'Content-Type': 'application/json', 'X-CFF-Request-Version': 'v1', ...(options.logTail === true ? { 'X-Cff-Log-Type': 'tail' } : {}) };
        return { path, headers: signHuaweiRequest({ method: 'POST', origin, path, headers, body, clockOffsetMs: settings.clock.offsetFor(originKey) }, keys), body };
      },
      { maxBytes: definition.limits.maxReplyWireBytes, tooLarge: (received) => replyTooLargeError(definition, options.functionName, received) },
    );
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    const subject = { provider: definition, target: options.functionName, timeoutMs: options.timeoutMs } as const;
    if (!outcome.ok) throw classifyProviderError(huaweiTransportFacts('invoke', outcome.error, outcome.deadline), subject, outcome.error, secrets);
    const response = outcome.value;
    if (response.statusCode !== 200) {
      const { facts, cause } = huaweiServiceError('invoke', response);
      throw classifyProviderError(facts, subject, cause, secrets);
    }
    return functionGraphInvokeResult(definition, options.functionName, response, outcome.durationMs);
  };
}
