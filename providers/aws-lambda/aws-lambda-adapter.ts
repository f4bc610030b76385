import http from 'node:http';
import https from 'node:https';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
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
  invokeResultFromReply,
} from '../../src/provider-utils/index.ts';
import type { AssumeRoleCallOptionsV1, AssumeRoleResultV1, InvokeCallOptionsV1, InvokeResultV1, ProviderAdapterV1 } from '../../src/spec/index.ts';
import { awsErrorFacts } from './aws-error-facts.ts';
import { createAwsLambdaHttpInvoke } from './aws-lambda-http-invoke.ts';

export interface AwsLambdaAdapterSettings {
  /** Endpoint overrides (e.g. the mock cloud). Default: the SDK's regional endpoints. */
  readonly endpoints?: { readonly sts?: URL | undefined; readonly invoke?: URL | undefined };
  /** SDK clients kept per (access key, region). @default 256 */
  readonly maxCachedClients?: number;
  /** Keep-alive sockets per host. @default 256 */
  readonly maxSockets?: number;
  /** Invocations signed with the SDK's SigV4 signer and sent over undici ('http'), or through the SDK ('sdk'). STS always uses the SDK. @default 'http' */
  readonly invokeTransport?: InvokeTransport;
}

// The SDK's own request timeout is a backstop only; lakefn's deadline (runProviderCall) fires first.
const SDK_TIMEOUT_GRACE_MS = 1000;

/**
 * ProviderAdapterV1 for AWS Lambda, on @aws-sdk/client-lambda and @aws-sdk/client-sts; invocations go over undici with
 * the SDK's signer by default (see aws-lambda-http-invoke.ts, `invokeTransport`).
 */
export function createAwsLambdaAdapter(settings: AwsLambdaAdapterSettings = {}): ProviderAdapterV1 {
  const maxSockets = settings.maxSockets ?? 256;
  // One keep-alive pool shared by every client: clients are per credentials (they rotate hourly), sockets are per host.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  // throwOnRequestTimeout: the per-call requestTimeout (a backstop behind lakefn's deadline) must fail
  // the call, not just print a warning.
  const requestHandler = { httpAgent, httpsAgent, throwOnRequestTimeout: true };
  // Evicted clients are dropped, not destroyed: client.destroy() would destroy the shared agents.
  const stsClients = createClientCache<STSClient>(settings.maxCachedClients);
  const lambdaClients = createClientCache<LambdaClient>(settings.maxCachedClients);
  const stsEndpoint = settings.endpoints?.sts?.href;
  const lambdaEndpoint = settings.endpoints?.invoke?.href;
  const pools = createUndiciPoolCache({ connections: maxSockets });
  const httpInvoke =
    (settings.invokeTransport ?? 'http') === 'http' ? createAwsLambdaHttpInvoke({ endpoint: settings.endpoints?.invoke, pools, maxCachedSigners: settings.maxCachedClients }) : undefined;
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new LakefnError('E_DISPATCHER_CLOSED', 'the aws-lambda provider adapter is closed', { location: { provider: 'aws' } });
  };

  return {
    specificationVersion: 'v1',
    provider: 'aws',
    id: 'aws-lambda',
    limits: { maxRequestBytes: PAYLOAD_LIMITS.aws },

    async doAssumeRole(options: AssumeRoleCallOptionsV1): Promise<AssumeRoleResultV1> {
      assertOpen();
      const { broker, region } = options;
      const client = stsClients.get(
        credentialsCacheKey(broker.accessKeyId, broker.secretAccessKey, undefined, region),
        () =>
          new STSClient({
            region,
            ...(stsEndpoint === undefined ? {} : { endpoint: stsEndpoint }),
            credentials: { accessKeyId: broker.accessKeyId, secretAccessKey: broker.secretAccessKey },
            maxAttempts: 1, // lakefn owns retries
            requestHandler,
          }),
      );
      const command = new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: options.durationSeconds,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      });
      const outcome = await runProviderCall(options, (signal) => client.send(command, { abortSignal: signal, requestTimeout: options.timeoutMs + SDK_TIMEOUT_GRACE_MS }));
      if (!outcome.ok) {
        const facts = awsErrorFacts(outcome.error, outcome.exchange, 'sts', outcome.deadline);
        throw classifyProviderError(facts, { provider: 'aws', target: options.roleArn, timeoutMs: options.timeoutMs }, outcome.error, [broker.secretAccessKey]);
      }
      const credentials = outcome.value.Credentials;
      if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined || credentials.SessionToken === undefined || credentials.Expiration === undefined) {
        throw new LakefnError('E_BAD_RESPONSE', 'AWS STS answered AssumeRole without complete credentials', { location: { provider: 'aws' } });
      }
      const requestId = outcome.value.$metadata.requestId;
      const assumedRoleId = outcome.value.AssumedRoleUser?.AssumedRoleId;
      return {
        credentials: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
          expiration: credentials.Expiration,
        },
        ...(assumedRoleId === undefined ? {} : { assumedRoleId }),
        ...(requestId === undefined ? {} : { requestId }),
      };
    },

    async doInvoke(options: InvokeCallOptionsV1): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit('aws', options.functionName, options.payload.byteLength);
      if (httpInvoke !== undefined) return httpInvoke(options);
      const { credentials, region } = options;
      const client = lambdaClients.get(
        credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, region),
        () =>
          new LambdaClient({
            region,
            ...(lambdaEndpoint === undefined ? {} : { endpoint: lambdaEndpoint }),
            // No `expiration`: the broker decides when credentials are too old, not the SDK.
            credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
            maxAttempts: 1,
            requestHandler,
          }),
      );
      const command = new InvokeCommand({
        FunctionName: options.functionName,
        ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
        InvocationType: 'RequestResponse',
        LogType: options.logTail === true ? 'Tail' : 'None',
        Payload: options.payload,
      });
      const outcome = await runProviderCall(options, (signal) => client.send(command, { abortSignal: signal, requestTimeout: options.timeoutMs + SDK_TIMEOUT_GRACE_MS }));
      const secrets = [credentials.secretAccessKey, credentials.sessionToken];
      if (!outcome.ok) {
        const facts = awsErrorFacts(outcome.error, outcome.exchange, 'invoke', outcome.deadline);
        throw classifyProviderError(facts, { provider: 'aws', target: options.functionName, timeoutMs: options.timeoutMs }, outcome.error, secrets);
      }
      const output = outcome.value;
      return invokeResultFromReply({
        provider: 'aws',
        functionName: options.functionName,
        body: output.Payload ?? new Uint8Array(),
        statusCode: output.StatusCode,
        requestId: output.$metadata.requestId,
        encodedLogTail: output.LogResult,
        functionErrorType: output.FunctionError,
        durationMs: outcome.durationMs,
      });
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
}
