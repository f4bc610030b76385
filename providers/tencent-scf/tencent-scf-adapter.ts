import http from 'node:http';
import https from 'node:https';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { sts } from 'tencentcloud-sdk-nodejs-sts';
import { LakefnError } from '../../src/errors/index.ts';
import {
  assertPayloadWithinLimit,
  classifyProviderError,
  createClientCache,
  createUndiciPoolCache,
  credentialsCacheKey,
  replyTooLargeError,
  resolveConnectionEndpoints,
  runProviderCall,
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
import { tencentErrorFacts } from './tencent-scf-error-facts.ts';
import { createTencentScfHttpInvoke } from './tencent-scf-http-invoke.ts';
import { decodeUtf8, scfCallError, scfInvokeResult } from './tencent-scf-invoke-result.ts';

type ScfClient = InstanceType<typeof scf.v20180416.Client>;
type StsClient = InstanceType<typeof sts.v20180813.Client>;
type InvokeFunctionResponse = Awaited<ReturnType<ScfClient['InvokeFunction']>>;
type AssumeRoleResponse = Awaited<ReturnType<StsClient['AssumeRole']>>;

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
 * ProviderAdapterV1 for Tencent Cloud SCF, on tencentcloud-sdk-nodejs-scf (InvokeFunction, the
 * synchronous API with the high rate limit) and tencentcloud-sdk-nodejs-sts. The SDK has no retries. Invocations go over
 * undici with the SDK's TC3 signer by default (see tencent-scf-http-invoke.ts, `invokeTransport`).
 */
export function createTencentScfAdapter(definition: ProviderDefinition, settings: TencentScfAdapterSettings): ProviderAdapterV1<TencentScfBinding> {
  const maxSockets = settings.maxSockets ?? 256;
  // Explicit agents: keep-alive, and the SDK then ignores process.env.http_proxy.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  const stsClients = createClientCache<StsClient>(settings.maxCachedClients);
  const scfClients = createClientCache<ScfClient>(settings.maxCachedClients);
  const pools = createUndiciPoolCache({ connections: maxSockets });
  const httpInvoke = (settings.invokeTransport ?? 'http') === 'http' ? createTencentScfHttpInvoke({ definition, pools }) : undefined;
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
      const { broker, binding } = options;
      const { region } = binding;
      const profile = httpProfile(endpointProfile(binding.endpoints.sts), options.timeoutMs);
      const client = stsClients.get(
        credentialsCacheKey(broker.accessKeyId, broker.secretAccessKey, undefined, region, String(profile.reqTimeout), profile.endpoint),
        () => new sts.v20180813.Client({ credential: { secretId: broker.accessKeyId, secretKey: broker.secretAccessKey }, region, profile: { httpProfile: profile } }),
      );
      const request = {
        RoleArn: binding.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: options.durationSeconds,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      };
      const outcome = await runProviderCall(options, (signal) => client.request('AssumeRole', request, { signal }) as Promise<AssumeRoleResponse>);
      if (!outcome.ok) {
        const facts = tencentErrorFacts(outcome.error, outcome.exchange, 'sts', outcome.deadline);
        throw classifyProviderError(facts, { provider: definition, target: binding.roleArn, timeoutMs: options.timeoutMs }, outcome.error, [broker.secretAccessKey]);
      }
      const response = outcome.value;
      const credentials = response.Credentials;
      const expiration = expirationOf(response);
      if (credentials?.TmpSecretId === undefined || credentials.TmpSecretKey === undefined || credentials.Token === undefined || expiration === undefined) {
        throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole without complete credentials`, { location: { provider: definition.id } });
      }
      return {
        credentials: { accessKeyId: credentials.TmpSecretId, secretAccessKey: credentials.TmpSecretKey, sessionToken: credentials.Token, expiration },
        ...(response.RequestId === undefined ? {} : { requestId: response.RequestId }),
      };
    },

    async doInvoke(options: InvokeCallOptionsV1<TencentScfBinding>): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit(definition, options.functionName, options.payload.byteLength);
      const event = decodeUtf8(definition, options.payload, options.functionName);
      if (httpInvoke !== undefined) return httpInvoke(options, event);
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
    },

    async close(): Promise<void> {
      closed = true;
      stsClients.clear();
      scfClients.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
      await pools.close();
    },
  };
}

/** The SDK takes `host[:port]` and the protocol as the literal `http://` / `https://`. */
function endpointProfile(origin: URL): { endpoint: string; protocol: string } {
  return { endpoint: origin.host, protocol: `${origin.protocol}//` };
}

function expirationOf(response: AssumeRoleResponse): Date | undefined {
  if (response.ExpiredTime !== undefined && Number.isFinite(response.ExpiredTime)) return new Date(response.ExpiredTime * 1000);
  const parsed = response.Expiration === undefined ? Number.NaN : Date.parse(response.Expiration);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
