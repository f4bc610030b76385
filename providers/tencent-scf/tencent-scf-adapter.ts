import http from 'node:http';
import https from 'node:https';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { sts } from 'tencentcloud-sdk-nodejs-sts';
import { LakefnError } from '../../src/errors/index.ts';
import {
  PAYLOAD_LIMITS,
  assertPayloadWithinLimit,
  classifyProviderError,
  type InvokeTransport,
  createClientCache,
  createUndiciPoolCache,
  credentialsCacheKey,
  runProviderCall,
} from '../../src/provider-utils/index.ts';
import type { AssumeRoleCallOptionsV1, AssumeRoleResultV1, InvokeCallOptionsV1, InvokeResultV1, ProviderAdapterV1 } from '../../src/spec/index.ts';
import { tencentErrorFacts } from './tencent-error-facts.ts';
import { decodeUtf8, scfCallError, scfInvokeResult } from './tencent-invoke-result.ts';
import { createTencentScfHttpInvoke } from './tencent-scf-http-invoke.ts';

type ScfClient = InstanceType<typeof scf.v20180416.Client>;
type StsClient = InstanceType<typeof sts.v20180813.Client>;
type InvokeFunctionResponse = Awaited<ReturnType<ScfClient['InvokeFunction']>>;
type AssumeRoleResponse = Awaited<ReturnType<StsClient['AssumeRole']>>;

export interface TencentScfAdapterSettings {
  /** Endpoint overrides (e.g. the mock cloud). Default: `https://scf.tencentcloudapi.com`, `https://sts.tencentcloudapi.com`. */
  readonly endpoints?: { readonly sts?: URL | undefined; readonly invoke?: URL | undefined };
  /** SDK clients kept per (access key, region, timeout). @default 256 */
  readonly maxCachedClients?: number;
  /** Keep-alive sockets per host. @default 256 */
  readonly maxSockets?: number;
  /** Invocations signed with the SDK's TC3 signer (`Sign.sign3`) and sent over undici ('http'), or through the SDK ('sdk'). STS always uses the SDK. @default 'http' */
  readonly invokeTransport?: InvokeTransport;
}

/**
 * ProviderAdapterV1 for Tencent Cloud SCF, on tencentcloud-sdk-nodejs-scf (InvokeFunction, the
 * synchronous API with the high rate limit) and tencentcloud-sdk-nodejs-sts. The SDK has no retries. Invocations go over
 * undici with the SDK's TC3 signer by default (see tencent-scf-http-invoke.ts, `invokeTransport`).
 */
export function createTencentScfAdapter(settings: TencentScfAdapterSettings = {}): ProviderAdapterV1 {
  const maxSockets = settings.maxSockets ?? 256;
  // Explicit agents: keep-alive, and the SDK then ignores process.env.http_proxy.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  const stsClients = createClientCache<StsClient>(settings.maxCachedClients);
  const scfClients = createClientCache<ScfClient>(settings.maxCachedClients);
  const stsEndpoint = endpointProfile(settings.endpoints?.sts, 'sts.tencentcloudapi.com');
  const scfEndpoint = endpointProfile(settings.endpoints?.invoke, 'scf.tencentcloudapi.com');
  const pools = createUndiciPoolCache({ connections: maxSockets });
  const httpInvoke = (settings.invokeTransport ?? 'http') === 'http' ? createTencentScfHttpInvoke({ endpoint: settings.endpoints?.invoke, pools }) : undefined;
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new LakefnError('E_DISPATCHER_CLOSED', 'the tencent-scf provider adapter is closed', { location: { provider: 'tencent' } });
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
    provider: 'tencent',
    id: 'tencent-scf',
    limits: { maxRequestBytes: PAYLOAD_LIMITS.tencent },

    async doAssumeRole(options: AssumeRoleCallOptionsV1): Promise<AssumeRoleResultV1> {
      assertOpen();
      const { broker, region } = options;
      const profile = httpProfile(stsEndpoint, options.timeoutMs);
      const client = stsClients.get(
        credentialsCacheKey(broker.accessKeyId, broker.secretAccessKey, undefined, region, String(profile.reqTimeout)),
        () => new sts.v20180813.Client({ credential: { secretId: broker.accessKeyId, secretKey: broker.secretAccessKey }, region, profile: { httpProfile: profile } }),
      );
      const request = {
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: options.durationSeconds,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      };
      const outcome = await runProviderCall(options, (signal) => client.request('AssumeRole', request, { signal }) as Promise<AssumeRoleResponse>);
      if (!outcome.ok) {
        const facts = tencentErrorFacts(outcome.error, outcome.exchange, 'sts', outcome.deadline);
        throw classifyProviderError(facts, { provider: 'tencent', target: options.roleArn, timeoutMs: options.timeoutMs }, outcome.error, [broker.secretAccessKey]);
      }
      const response = outcome.value;
      const credentials = response.Credentials;
      const expiration = expirationOf(response);
      if (credentials?.TmpSecretId === undefined || credentials.TmpSecretKey === undefined || credentials.Token === undefined || expiration === undefined) {
        throw new LakefnError('E_BAD_RESPONSE', 'Tencent Cloud STS answered AssumeRole without complete credentials', { location: { provider: 'tencent' } });
      }
      return {
        credentials: { accessKeyId: credentials.TmpSecretId, secretAccessKey: credentials.TmpSecretKey, sessionToken: credentials.Token, expiration },
        ...(response.RequestId === undefined ? {} : { requestId: response.RequestId }),
      };
    },

    async doInvoke(options: InvokeCallOptionsV1): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit('tencent', options.functionName, options.payload.byteLength);
      const event = decodeUtf8(options.payload, options.functionName);
      if (httpInvoke !== undefined) return httpInvoke(options, event);
      const { credentials, region } = options;
      const profile = httpProfile(scfEndpoint, options.timeoutMs);
      const client = scfClients.get(
        credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, region, String(profile.reqTimeout)),
        () =>
          new scf.v20180416.Client({
            credential: { secretId: credentials.accessKeyId, secretKey: credentials.secretAccessKey, token: credentials.sessionToken },
            region,
            profile: { httpProfile: profile },
          }),
      );
      const request = {
        FunctionName: options.functionName,
        Namespace: options.namespace,
        Event: event,
        LogType: options.logTail === true ? 'Tail' : 'None',
        ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
      };
      const outcome = await runProviderCall(options, (signal) => client.request('InvokeFunction', request, { signal }) as Promise<InvokeFunctionResponse>);
      const secrets = [credentials.secretAccessKey, credentials.sessionToken];
      if (!outcome.ok) {
        const facts = tencentErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline);
        // A FailedOperation.InvokeFunction error's message is the function error object itself.
        throw scfCallError(facts, outcome.error instanceof Error ? outcome.error.message : '', outcome.error, options, secrets);
      }
      return scfInvokeResult(outcome.value, outcome.durationMs, options, secrets);
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
function endpointProfile(override: URL | undefined, productionHost: string): { endpoint: string; protocol: string } {
  if (override === undefined) return { endpoint: productionHost, protocol: 'https://' };
  return { endpoint: override.host, protocol: `${override.protocol}//` };
}

function expirationOf(response: AssumeRoleResponse): Date | undefined {
  if (response.ExpiredTime !== undefined && Number.isFinite(response.ExpiredTime)) return new Date(response.ExpiredTime * 1000);
  const parsed = response.Expiration === undefined ? Number.NaN : Date.parse(response.Expiration);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
