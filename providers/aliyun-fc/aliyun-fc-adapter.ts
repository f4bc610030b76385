import { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import Fc, { InvokeFunctionHeaders, InvokeFunctionRequest } from '@alicloud/fc20230330';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import Sts, { AssumeRoleRequest } from '@alicloud/sts20150401';
import { read } from 'httpx';
import { LakefnError, expectInteger } from '../../src/errors/index.ts';
import {
  ClockOffsets,
  assertPayloadWithinLimit,
  classifyProviderError,
  createClientCache,
  createUndiciPoolCache,
  credentialsCacheKey,
  localExpiration,
  replyTooLargeError,
  resolveConnectionEndpoints,
  retryWithCorrectedClock,
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
import { parseAliyunRoleArn } from './aliyun-fc-catalog.ts';
import { aliyunErrorFacts } from './aliyun-fc-error-facts.ts';
import { acsTimestamp, createAliyunFcHttpInvoke } from './aliyun-fc-http-invoke.ts';
import { fcInvokeResult } from './aliyun-fc-invoke-result.ts';

const FcClient = Fc.default;
const StsClient = Sts.default;
type FcClient = InstanceType<typeof FcClient>;
type StsClient = InstanceType<typeof StsClient>;
type RuntimeOptions = Parameters<FcClient['invokeFunctionWithOptions']>[3];

/** What an Alibaba Cloud call needs from its connection: FC 3.0 endpoints are per account. */
export interface AliyunFcBinding extends ConnectionBindingV1 {
  readonly accountId: string;
}

export interface AliyunFcAdapterSettings extends ProviderAdapterSettings {
  /** SDK clients kept per (access key, region, endpoint). @default 256 */
  readonly maxCachedClients?: number;
  /** Keep-alive sockets per host for the 'http' transport. @default 256 */
  readonly maxSockets?: number;
}

// The SDK's own socket timers are a backstop only; lakefn's deadline (runProviderCall) fires first.
const SDK_TIMEOUT_GRACE_MS = 1000;

/**
 * ProviderAdapterV1 for Alibaba Cloud Function Compute 3.0, on @alicloud/fc20230330 and
 * @alicloud/sts20150401. Keep-alive: openapi-core sends through httpx's process-wide keep-alive agent
 * (it builds a new agent per request only when `runtime.keepAlive` is set, so it is left unset). SDK
 * retries are off by default (no `retryOptions`). Invocations go over undici with openapi-core's signer by default
 * (see aliyun-fc-http-invoke.ts, `invokeTransport`).
 */
export function createAliyunFcAdapter(definition: ProviderDefinition, settings: AliyunFcAdapterSettings): ProviderAdapterV1<AliyunFcBinding> {
  const maxCachedClients = expectInteger(settings.maxCachedClients ?? 256, 'maxCachedClients', 1);
  const stsClients = createClientCache<StsClient>(maxCachedClients);
  const fcClients = createClientCache<FcClient>(maxCachedClients);
  const pools = createUndiciPoolCache({ connections: expectInteger(settings.maxSockets ?? 256, 'maxSockets', 1) });
  // every endpoint's clock as measured from refused signatures (see retryWithCorrectedClock)
  const clock = new ClockOffsets();
  const httpInvoke = (settings.invokeTransport ?? 'http') === 'http' ? createAliyunFcHttpInvoke({ definition, pools, clock }) : undefined;
  const maxReplyBytes = definition.limits.maxReplyWireBytes;
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new LakefnError('E_CLOSED', `the ${definition.folder} provider adapter is closed`, { location: { provider: definition.id } });
  };

  return {
    specificationVersion: 'v1',
    provider: definition.id,
    limits: definition.limits,

    async bindConnection(connection) {
      assertOpen();
      const endpoints = await resolveConnectionEndpoints(definition, connection, settings.endpoints);
      const role = parseAliyunRoleArn(connection.roleArn);
      if (role === undefined) throw tamperedConnectionError(definition, connection, 'do not name an Alibaba Cloud RAM role');
      return { connectionName: connection.name, region: connection.region, roleArn: connection.roleArn, endpoints, accountId: role.accountId };
    },

    async doAssumeRole(options: AssumeRoleCallOptionsV1<AliyunFcBinding>): Promise<AssumeRoleResultV1> {
      assertOpen();
      try {
        return await assumeRole(options);
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.sts.origin, error, () => assumeRole(options));
      }
    },

    async doInvoke(options: InvokeCallOptionsV1<AliyunFcBinding>): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit(definition, options.functionName, options.payload.byteLength);
      const send = httpInvoke ?? invokeWithSdk;
      try {
        return await send(options);
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.invoke.origin, error, () => send(options));
      }
    },

    async close(): Promise<void> {
      // Idle sockets live in httpx's process-wide agent (unreferenced, they never hold the process open).
      closed = true;
      stsClients.clear();
      fcClients.clear();
      await pools.close();
    },
  };

  async function assumeRole(options: AssumeRoleCallOptionsV1<AliyunFcBinding>): Promise<AssumeRoleResultV1> {
    const { broker, binding } = options;
    const { region } = binding;
    const endpoint = endpointOptions(binding.endpoints.sts);
    const client = stsClients.get(credentialsCacheKey(broker.accessKeyId, broker.secretAccessKey, undefined, region, endpoint.endpoint), () => {
      return new StsClient(new $OpenApiUtil.Config({ accessKeyId: broker.accessKeyId, accessKeySecret: broker.secretAccessKey, regionId: region, ...endpoint }));
    });
    const request = new AssumeRoleRequest({
      roleArn: binding.roleArn,
      roleSessionName: options.sessionName,
      durationSeconds: options.durationSeconds,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    });
    const stsOrigin = binding.endpoints.sts.origin;
    const outcome = await runProviderCall(options, () => client.assumeRoleWithOptions(request, runtimeOptions(options.timeoutMs, clock.offsetFor(stsOrigin))));
    if (!outcome.ok) {
      const facts = aliyunErrorFacts(outcome.error, outcome.exchange, 'sts', outcome.deadline);
      throw classifyProviderError(facts, { provider: definition, target: binding.roleArn, timeoutMs: options.timeoutMs }, outcome.error, [broker.secretAccessKey]);
    }
    const body = outcome.value.body;
    const credentials = body?.credentials;
    if (credentials?.accessKeyId === undefined || credentials.accessKeySecret === undefined || credentials.securityToken === undefined || credentials.expiration === undefined) {
      throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole without complete credentials`, { location: { provider: definition.id } });
    }
    const expiration = new Date(credentials.expiration);
    if (Number.isNaN(expiration.getTime())) {
      throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole with an unreadable Expiration`, { location: { provider: definition.id } });
    }
    const assumedRoleId = body?.assumedRoleUser?.assumedRoleId;
    const requestId = body?.requestId;
    return {
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.accessKeySecret,
        sessionToken: credentials.securityToken,
        expiration: localExpiration(clock, stsOrigin, expiration),
      },
      ...(assumedRoleId === undefined ? {} : { assumedRoleId }),
      ...(requestId === undefined ? {} : { requestId }),
    };
  }

  async function invokeWithSdk(options: InvokeCallOptionsV1<AliyunFcBinding>): Promise<InvokeResultV1> {
    const { credentials, binding } = options;
    const { region } = binding;
    const endpoint = endpointOptions(binding.endpoints.invoke);
    const client = fcClients.get(credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, region, endpoint.endpoint), () => {
      return new FcClient(
        new $OpenApiUtil.Config({
          accessKeyId: credentials.accessKeyId,
          accessKeySecret: credentials.secretAccessKey,
          securityToken: credentials.sessionToken,
          regionId: region,
          ...endpoint,
        }),
      );
    });
    const payload = Buffer.from(options.payload.buffer, options.payload.byteOffset, options.payload.byteLength);
    const headers = new InvokeFunctionHeaders({ xFcInvocationType: 'Sync', xFcLogType: options.logTail === true ? 'Tail' : 'None' });
    const outcome = await runProviderCall({ ...options, maxResponseBytes: maxReplyBytes }, async () => {
      // The SDK requires a Readable body (a Buffer throws `readable.on is not a function`).
      const request = new InvokeFunctionRequest({ body: Readable.from([payload]), ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }) });
      const response = await client.invokeFunctionWithOptions(options.functionName, request, headers, runtimeOptions(options.timeoutMs, clock.offsetFor(binding.endpoints.invoke.origin)));
      return { headers: response.headers ?? {}, statusCode: response.statusCode, body: await readAll(response.body) };
    });
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    if (!outcome.ok) {
      if (outcome.exchange.replyTooLarge !== undefined) throw replyTooLargeError(definition, options.functionName, outcome.exchange.replyTooLarge);
      const facts = aliyunErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline);
      throw classifyProviderError(facts, { provider: definition, target: options.functionName, timeoutMs: options.timeoutMs }, outcome.error, secrets);
    }
    const { headers: responseHeaders, statusCode, body } = outcome.value;
    return fcInvokeResult(definition, options.functionName, {
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      statusCode,
      headers: responseHeaders,
      durationMs: outcome.durationMs,
    });
  }
}

/** openapi-core takes the endpoint as `host[:port]` without scheme and the protocol separately. */
function endpointOptions(origin: URL): { endpoint: string; protocol: string } {
  return { endpoint: origin.host, protocol: origin.protocol.replace(/:$/, '') };
}

/**
 * Per-call socket timeouts. openapi-core copies these plain fields (`runtime.readTimeout || …`) and
 * never calls Model methods on the runtime object, so a plain object stands in for the SDK's class.
 *
 * With a clock offset, the signing time goes in as `extendsParameters.headers['x-acs-date']`: openapi-core builds the
 * request headers as its defaults (`'x-acs-date': getTimestamp()`, the local clock) overridden by the runtime's
 * extendsParameters headers, then signs them (doRequest / execute in @alicloud/openapi-core dist/client.js), so the
 * SDK itself signs at the corrected time.
 */
function runtimeOptions(timeoutMs: number, clockOffsetMs: number): RuntimeOptions {
  const timeout = timeoutMs + SDK_TIMEOUT_GRACE_MS;
  const signingTime = clockOffsetMs === 0 ? {} : { extendsParameters: { headers: { 'x-acs-date': acsTimestamp(Date.now() + clockOffsetMs) } } };
  return { readTimeout: timeout, connectTimeout: timeout, ...signingTime } as Partial<RuntimeOptions> as RuntimeOptions;
}

/**
 * Reads the reply through httpx (the SDK's HTTP client) rather than iterating the stream: httpx arms a read timer per
 * request (the call's timeout + 1 s) that only its own `read` clears, and until it fires that timer keeps the
 * request, socket and buffers reachable — about 100 MB per 10,000 invocations at the default 30 s timeout.
 */
async function readAll(body: Readable | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (!(body instanceof IncomingMessage)) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks);
  }
  const content = await read(body, '');
  return typeof content === 'string' ? Buffer.from(content) : content;
}
