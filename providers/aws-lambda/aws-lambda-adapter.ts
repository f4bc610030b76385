import http from 'node:http';
import https from 'node:https';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LakefnError, expectInteger } from '../../src/errors/index.ts';
import {
  ClockOffsets,
  assertPayloadWithinLimit,
  classifyProviderError,
  createClientCache,
  createUndiciPoolCache,
  credentialsCacheKey,
  invokeResultFromReply,
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
import { checkLambdaTarget, parseAwsRoleArn } from './aws-lambda-catalog.ts';
import { awsErrorFacts } from './aws-lambda-error-facts.ts';
import { stsFallbackRegion } from './aws-lambda-endpoints.ts';
import { regionDisabledError } from './aws-lambda-errors.ts';
import { createAwsLambdaHttpInvoke } from './aws-lambda-http-invoke.ts';

/** What an AWS call needs from its connection. */
export interface AwsLambdaBinding extends ConnectionBindingV1 {
  /** `aws`, `aws-cn` or `aws-us-gov`: the role's partition (and the region's). */
  readonly partition: string;
  readonly accountId: string;
  /**
   * Where AssumeRole goes when the region's STS answers RegionDisabledException and a fallback is configured
   * (LAKEFN_AWS_STS_REGION / config.json `options.aws.sts_region`): the region it is signed for and its endpoint.
   */
  readonly stsFallback: { readonly region: string; readonly endpoint: URL } | undefined;
}

export interface AwsLambdaAdapterSettings extends ProviderAdapterSettings {
  /** SDK clients kept per (access key, region, endpoint). @default 256 */
  readonly maxCachedClients?: number;
  /** Keep-alive sockets per host. @default 256 */
  readonly maxSockets?: number;
}

// The SDK's own request timeout is a backstop only; lakefn's deadline (runProviderCall) fires first.
const SDK_TIMEOUT_GRACE_MS = 1000;

/**
 * ProviderAdapterV1 for AWS Lambda, on @aws-sdk/client-lambda and @aws-sdk/client-sts; invocations go over undici with
 * the SDK's signer by default (see aws-lambda-http-invoke.ts, `invokeTransport`). Every client is given the endpoint
 * the binding resolved, so the host DESC API CONNECTION shows is the host that is called.
 */
export function createAwsLambdaAdapter(definition: ProviderDefinition, settings: AwsLambdaAdapterSettings): ProviderAdapterV1<AwsLambdaBinding> {
  const maxSockets = expectInteger(settings.maxSockets ?? 256, 'maxSockets', 1);
  const maxCachedClients = expectInteger(settings.maxCachedClients ?? 256, 'maxCachedClients', 1);
  // One keep-alive pool shared by every client: clients are per credentials (they rotate hourly), sockets are per host.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  // throwOnRequestTimeout: the per-call requestTimeout (a backstop behind lakefn's deadline) must fail
  // the call, not just print a warning.
  const requestHandler = { httpAgent, httpsAgent, throwOnRequestTimeout: true };
  // Evicted clients are dropped, not destroyed: client.destroy() would destroy the shared agents.
  const stsClients = createClientCache<STSClient>(maxCachedClients);
  const lambdaClients = createClientCache<LambdaClient>(maxCachedClients);
  const pools = createUndiciPoolCache({ connections: maxSockets });
  // every endpoint's clock as measured from refused signatures (see retryWithCorrectedClock)
  const clock = new ClockOffsets();
  const httpInvoke = (settings.invokeTransport ?? 'http') === 'http' ? createAwsLambdaHttpInvoke({ definition, pools, clock, maxCachedSigners: maxCachedClients }) : undefined;
  const maxReplyBytes = definition.limits.maxReplyWireBytes;
  const stsRegionOption = settings.options?.['sts_region'];
  /** Regions whose STS answered RegionDisabledException: AssumeRole goes to the fallback straight away. */
  const disabledStsRegions = new Set<string>();
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
      const role = parseAwsRoleArn(connection.roleArn);
      if (role?.partition === undefined) throw tamperedConnectionError(definition, connection, 'do not name an AWS role');
      const fallbackRegion = stsRegionOption === undefined ? undefined : await stsFallbackRegion(stsRegionOption, connection.region);
      const stsFallback =
        fallbackRegion === undefined || fallbackRegion === connection.region
          ? undefined
          : { region: fallbackRegion, endpoint: (await resolveConnectionEndpoints(definition, { ...connection, region: fallbackRegion }, settings.endpoints)).sts };
      return { connectionName: connection.name, region: connection.region, roleArn: connection.roleArn, endpoints, partition: role.partition, accountId: role.accountId, stsFallback };
    },

    async doAssumeRole(options: AssumeRoleCallOptionsV1<AwsLambdaBinding>): Promise<AssumeRoleResultV1> {
      assertOpen();
      const { binding } = options;
      const fallback = binding.stsFallback;
      if (fallback !== undefined && disabledStsRegions.has(binding.region)) return assumeRoleCorrected(options, fallback.endpoint, fallback.region);
      try {
        return await assumeRoleCorrected(options, binding.endpoints.sts, binding.region);
      } catch (error) {
        if (!LakefnError.isInstance(error) || error.code !== 'E_STS_REGION_DISABLED') throw error;
        if (fallback === undefined) throw regionDisabledError(definition, binding, error);
        // the region's STS is deactivated in the role's account: tokens of any regional STS are valid everywhere
        disabledStsRegions.add(binding.region);
        return assumeRoleCorrected(options, fallback.endpoint, fallback.region);
      }
    },

    async doInvoke(options: InvokeCallOptionsV1<AwsLambdaBinding>): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit(definition, options.functionName, options.payload.byteLength);
      const { binding } = options;
      // the catalog checks this at CREATE; checked again here because a function ARN is where the call really goes
      const elsewhere = checkLambdaTarget(options.functionName, binding);
      if (elsewhere !== undefined) throw new LakefnError('E_INVALID_FUNCTION', `${elsewhere}; nothing was sent`, { location: { connection: binding.connectionName, provider: definition.id } });
      const send = httpInvoke ?? invokeWithSdk;
      try {
        return await send(options);
      } catch (error) {
        return retryWithCorrectedClock(clock, binding.endpoints.invoke.origin, error, () => send(options));
      }
    },

    async close(): Promise<void> {
      closed = true;
      stsClients.clear();
      lambdaClients.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
      await pools.close();
    },
  };

  /** AssumeRole at one STS endpoint, signed for `region`, with its clock corrected once if the signature expired. */
  async function assumeRoleCorrected(options: AssumeRoleCallOptionsV1<AwsLambdaBinding>, endpoint: URL, region: string): Promise<AssumeRoleResultV1> {
    try {
      return await assumeRoleAt(options, endpoint, region);
    } catch (error) {
      return retryWithCorrectedClock(clock, endpoint.origin, error, () => assumeRoleAt(options, endpoint, region));
    }
  }

  async function assumeRoleAt(options: AssumeRoleCallOptionsV1<AwsLambdaBinding>, endpoint: URL, region: string): Promise<AssumeRoleResultV1> {
    const { broker, binding } = options;
    const client = stsClients.get(
      credentialsCacheKey(broker.accessKeyId, broker.secretAccessKey, undefined, region, endpoint.href),
      () =>
        new STSClient({
          region,
          endpoint: endpoint.href,
          credentials: { accessKeyId: broker.accessKeyId, secretAccessKey: broker.secretAccessKey },
          maxAttempts: 1, // lakefn owns retries
          requestHandler,
        }),
    );
    // The SDK signs at Date.now() + config.systemClockOffset and updates that offset from every answer's Date itself;
    // lakefn sets it from its own per-endpoint measure, so that its correction (and its bound) decide.
    client.config.systemClockOffset = clock.offsetFor(endpoint.origin);
    const command = new AssumeRoleCommand({
      RoleArn: binding.roleArn,
      RoleSessionName: options.sessionName,
      DurationSeconds: options.durationSeconds,
      ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
    });
    const outcome = await runProviderCall(options, (signal) => client.send(command, { abortSignal: signal, requestTimeout: options.timeoutMs + SDK_TIMEOUT_GRACE_MS }));
    if (!outcome.ok) {
      const facts = awsErrorFacts(outcome.error, outcome.exchange, 'sts', outcome.deadline);
      throw classifyProviderError(facts, { provider: definition, target: binding.roleArn, timeoutMs: options.timeoutMs }, outcome.error, [broker.secretAccessKey]);
    }
    const credentials = outcome.value.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined || credentials.SessionToken === undefined || credentials.Expiration === undefined) {
      throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeRole without complete credentials`, { location: { provider: definition.id } });
    }
    const requestId = outcome.value.$metadata.requestId;
    const assumedRoleId = outcome.value.AssumedRoleUser?.AssumedRoleId;
    return {
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: localExpiration(clock, endpoint.origin, credentials.Expiration),
      },
      ...(assumedRoleId === undefined ? {} : { assumedRoleId }),
      ...(requestId === undefined ? {} : { requestId }),
    };
  }

  async function invokeWithSdk(options: InvokeCallOptionsV1<AwsLambdaBinding>): Promise<InvokeResultV1> {
    const { credentials, binding, functionName } = options;
    const endpoint = binding.endpoints.invoke.href;
    const client = lambdaClients.get(
      credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, binding.region, endpoint),
      () =>
        new LambdaClient({
          region: binding.region,
          endpoint,
          // No `expiration`: the broker decides when credentials are too old, not the SDK.
          credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
          maxAttempts: 1,
          requestHandler,
        }),
    );
    client.config.systemClockOffset = clock.offsetFor(binding.endpoints.invoke.origin);
    const command = new InvokeCommand({
      FunctionName: functionName,
      ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
      InvocationType: 'RequestResponse',
      LogType: options.logTail === true ? 'Tail' : 'None',
      Payload: options.payload,
    });
    const outcome = await runProviderCall({ ...options, maxResponseBytes: maxReplyBytes }, (signal) =>
      client.send(command, { abortSignal: signal, requestTimeout: options.timeoutMs + SDK_TIMEOUT_GRACE_MS }),
    );
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    if (!outcome.ok) {
      if (outcome.exchange.replyTooLarge !== undefined) throw replyTooLargeError(definition, functionName, outcome.exchange.replyTooLarge);
      const facts = awsErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline);
      throw classifyProviderError(facts, { provider: definition, target: functionName, timeoutMs: options.timeoutMs }, outcome.error, secrets);
    }
    // the SDK's output holds what lambdaReplyFacts reads from the raw answer
    const output = outcome.value;
    return invokeResultFromReply({
      provider: definition,
      functionName,
      body: output.Payload ?? new Uint8Array(),
      statusCode: output.StatusCode,
      requestId: output.$metadata.requestId,
      encodedLogTail: output.LogResult,
      functionErrorType: output.FunctionError,
      durationMs: outcome.durationMs,
    });
  }
}
