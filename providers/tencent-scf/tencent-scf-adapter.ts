import http from 'node:http';
import https from 'node:https';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { LakefnError, expectInteger } from '../../src/errors/index.ts';
import {
  ClockOffsets,
  assertPayloadWithinLimit,
  classifyProviderError,
  createClientCache,
  createUndiciPoolCache,
  credentialsCacheKey,
  isRecord,
  localExpiration,
  numberField,
  replyTooLargeError,
  resolveConnectionEndpoints,
  retryWithCorrectedClock,
  runProviderCall,
  stringField,
  tamperedConnectionError,
} from '../../src/provider-utils/index.ts';
import type {
  AssumeRoleCallOptionsV1,
  AssumeRoleResultV1,
  ConnectionBindingV1,
  InvokeCallOptionsV1,
  InvokeResultV1,
  ProviderAdapterSettings,
  ProviderAdapterV1,
  ProviderDefinition,
} from '../../src/spec/index.ts';
import { parseTencentRoleArn } from './tencent-scf-catalog.ts';
import { namesExternalId, tencentErrorFacts } from './tencent-scf-error-facts.ts';
import { createTencentScfHttpInvoke, sendTencentApi } from './tencent-scf-http-invoke.ts';
import { decodeUtf8, scfCallError, scfInvokeResult } from './tencent-scf-invoke-result.ts';

type ScfClient = InstanceType<typeof scf.v20180416.Client>;
type InvokeFunctionResponse = Awaited<ReturnType<ScfClient['InvokeFunction']>>;

const STS_API_VERSION = '2018-08-13';
/** An AssumeRole answer is a few KB; anything this large is not one. */
const MAX_STS_REPLY_BYTES = 1_048_576;

/** What an SCF call needs from its connection: functions live in a namespace of the customer's account. */
export interface TencentScfBinding extends ConnectionBindingV1 {
  readonly namespace: string;
  readonly accountId: string;
}

export interface TencentScfAdapterSettings extends ProviderAdapterSettings {
  /** SDK clients kept per (access key, region, timeout, endpoint). @default 256 */
  readonly maxCachedClients?: number;
  /** Keep-alive sockets per host. @default 256 */
  readonly maxSockets?: number;
}

/**
 * ProviderAdapterV1 for Tencent Cloud SCF, on tencentcloud-sdk-nodejs-scf (InvokeFunction, the synchronous API with
 * the high rate limit). The SDK has no retries. Invocations go over undici with the SDK's TC3 signer by default (see
 * tencent-scf-http-invoke.ts, `invokeTransport`); STS AssumeRole always does, because the SDK cannot sign at a
 * corrected time (sendTencentApi), and so does an SDK-transport invocation once its endpoint's clock needed correcting.
 */
export function createTencentScfAdapter(definition: ProviderDefinition, settings: TencentScfAdapterSettings): ProviderAdapterV1<TencentScfBinding> {
  const maxSockets = expectInteger(settings.maxSockets ?? 256, 'maxSockets', 1);
  // Explicit agents: keep-alive, and the SDK then ignores process.env.http_proxy.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  const scfClients = createClientCache<ScfClient>(expectInteger(settings.maxCachedClients ?? 256, 'maxCachedClients', 1));
  const pools = createUndiciPoolCache({ connections: maxSockets });
  // every endpoint's clock as measured from refused signatures (see retryWithCorrectedClock)
  const clock = new ClockOffsets();
  const httpInvoke = createTencentScfHttpInvoke({ definition, pools, clock });
  const sdkTransport = settings.invokeTransport === 'sdk';
  const maxReplyBytes = definition.limits.maxReplyWireBytes;
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new LakefnError('E_CLOSED', `the ${definition.folder} provider adapter is closed`, { location: { provider: definition.id } });
  };
  // reqTimeout (whole seconds) is fixed per client, so it is part of the client key; it is only a
  // backstop behind lakefn's millisecond deadline.
  const httpProfile = (endpoint: { endpoint: string; protocol: string }, timeoutMs: number) => ({
    ...endpoint,
    reqTimeout: Math.ceil(timeoutMs / 1000) + 1,
    agent: endpoint.protocol === 'https://' ? httpsAgent : httpAgent,
  });

  return {
    specificationVersion: 'v1',
    provider: definition.id,
    limits: definition.limits,

    async bindConnection(connection) {
      assertOpen();
      const endpoints = await resolveConnectionEndpoints(definition, connection, settings.endpoints);
      const role = parseTencentRoleArn(connection.roleArn);
      if (role === undefined) throw tamperedConnectionError(definition, connection, 'do not name a Tencent Cloud CAM role');
      return { connectionName: connection.name, region: connection.region, roleArn: connection.roleArn, endpoints, namespace: connection.namespace, accountId: role.accountId };
    },

    async doAssumeRole(options: AssumeRoleCallOptionsV1<TencentScfBinding>): Promise<AssumeRoleResultV1> {
      assertOpen();
      try {
        return await assumeRole(options);
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.sts.origin, error, () => assumeRole(options));
      }
    },

    async doInvoke(options: InvokeCallOptionsV1<TencentScfBinding>): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit(definition, options.functionName, options.payload.byteLength);
      const event = decodeUtf8(definition, options.payload, options.functionName);
      // the SDK cannot sign at a corrected time: once this endpoint's clock was corrected, lakefn's transport signs
      try {
        return await (sdkTransport && clock.offsetFor(options.binding.endpoints.invoke.origin) === 0 ? invokeWithSdk(options, event) : httpInvoke(options, event));
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.invoke.origin, error, () => httpInvoke(options, event));
      }
    },

    async close(): Promise<void> {
      closed = true;
      scfClients.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
      await pools.close();
    },
  };

  /** STS AssumeRole 2018-08-13 with the broker's keys, over lakefn's transport (see sendTencentApi). */
  async function assumeRole(options: AssumeRoleCallOptionsV1<TencentScfBinding>): Promise<AssumeRoleResultV1> {
    const { broker, binding } = options;
    const body = Buffer.from(
      JSON.stringify({
        RoleArn: binding.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: options.durationSeconds,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      }),
    );
    const origin = binding.endpoints.sts;
    const answer = await sendTencentApi(
      { pools, clock },
      {
        phase: 'sts',
        origin,
        action: 'AssumeRole',
        version: STS_API_VERSION,
        region: binding.region,
        body,
        credentials: { secretId: broker.accessKeyId, secretKey: broker.secretAccessKey },
        call: options,
        maxReplyBytes: MAX_STS_REPLY_BYTES,
        tooLarge: () => new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole with more than ${MAX_STS_REPLY_BYTES} bytes; check the STS endpoint`, { location: { provider: definition.id } }),
      },
    );
    if (answer.kind === 'error') {
      // an invalid-parameter answer that names the external ID refuses it (VALIDATE's probes count it as a refusal)
      const facts = answer.facts.providerCode?.startsWith('InvalidParameter') === true && namesExternalId(answer.message) ? { ...answer.facts, externalIdRejected: true } : answer.facts;
      throw classifyProviderError(facts, { provider: definition, target: binding.roleArn, timeoutMs: options.timeoutMs }, answer.cause, [broker.secretAccessKey]);
    }
    const response = answer.data;
    const credentials = isRecord(response.Credentials) ? response.Credentials : undefined;
    const tmpSecretId = stringField(credentials, 'TmpSecretId');
    const tmpSecretKey = stringField(credentials, 'TmpSecretKey');
    const token = stringField(credentials, 'Token');
    const expiration = expirationOf(response);
    if (tmpSecretId === undefined || tmpSecretKey === undefined || token === undefined || expiration === undefined) {
      throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole without complete credentials`, { location: { provider: definition.id } });
    }
    const requestId = stringField(response, 'RequestId');
    return {
      credentials: { accessKeyId: tmpSecretId, secretAccessKey: tmpSecretKey, sessionToken: token, expiration: localExpiration(clock, origin.origin, expiration) },
      ...(requestId === undefined ? {} : { requestId }),
    };
  }

  async function invokeWithSdk(options: InvokeCallOptionsV1<TencentScfBinding>, event: string): Promise<InvokeResultV1> {
    const { credentials, binding } = options;
    const { region } = binding;
    const profile = httpProfile(endpointProfile(binding.endpoints.invoke), options.timeoutMs);
    const client = scfClients.get(
      credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, region, String(profile.reqTimeout), profile.endpoint),
      () =>
        new scf.v20180416.Client({
          credential: { secretId: credentials.accessKeyId, secretKey: credentials.secretAccessKey, token: credentials.sessionToken },
          region,
          profile: { httpProfile: profile },
        }),
    );
    const request = {
      FunctionName: options.functionName,
      Namespace: binding.namespace,
      Event: event,
      LogType: options.logTail === true ? 'Tail' : 'None',
      ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
    };
    const outcome = await runProviderCall({ ...options, maxResponseBytes: maxReplyBytes }, (signal) =>
      client.request('InvokeFunction', request, { signal }) as Promise<InvokeFunctionResponse>,
    );
    const call = { definition, functionName: options.functionName, timeoutMs: options.timeoutMs, secrets: [credentials.secretAccessKey, credentials.sessionToken] };
    if (!outcome.ok) {
      if (outcome.exchange.replyTooLarge !== undefined) throw replyTooLargeError(definition, options.functionName, outcome.exchange.replyTooLarge);
      const facts = tencentErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline);
      // A FailedOperation.InvokeFunction error's message is the function error object itself.
      throw scfCallError(facts, outcome.error instanceof Error ? outcome.error.message : '', outcome.error, call);
    }
    return scfInvokeResult(outcome.value, outcome.durationMs, call);
  }
}

/** The SDK takes `host[:port]` and the protocol as the literal `http://` / `https://`. */
function endpointProfile(origin: URL): { endpoint: string; protocol: string } {
  return { endpoint: origin.host, protocol: `${origin.protocol}//` };
}

/** `ExpiredTime` (unix seconds), else `Expiration` (ISO 8601). */
function expirationOf(response: Record<string, unknown>): Date | undefined {
  const expiredTime = numberField(response, 'ExpiredTime');
  if (expiredTime !== undefined) return new Date(expiredTime * 1000);
  const text = stringField(response, 'Expiration');
  const parsed = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
