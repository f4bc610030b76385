// Real vendor SDK clients pointed at the mock cloud (options from reference/provider-protocols.md §2).
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import FcModule, { InvokeFunctionRequest } from '@alicloud/fc20230330';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import StsModule, { AssumeRoleRequest } from '@alicloud/sts20150401';
import { scf } from 'tencentcloud-sdk-nodejs-scf';
import { sts as tencentSts } from 'tencentcloud-sdk-nodejs-sts';
import type { MockCloud } from '../../mocks/mock-cloud.ts';

export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export function keysOf(account: { accessKeyId: string; secretAccessKey: string }): Keys {
  return { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}

// ---- AWS ----

export function lambdaClient(cloud: MockCloud, keys: Keys, region = 'us-east-1'): LambdaClient {
  return new LambdaClient({ region, endpoint: cloud.endpoints.aws.lambda, credentials: awsCredentials(keys), maxAttempts: 1 });
}

export function awsStsClient(cloud: MockCloud, keys: Keys): STSClient {
  return new STSClient({ region: 'us-east-1', endpoint: cloud.endpoints.aws.sts, credentials: awsCredentials(keys), maxAttempts: 1 });
}

function awsCredentials(keys: Keys) {
  return { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, ...(keys.sessionToken === undefined ? {} : { sessionToken: keys.sessionToken }) };
}

export async function lambdaInvoke(client: LambdaClient, functionName: string, payload: unknown) {
  const output = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  return { ...output, json: output.Payload === undefined ? undefined : (JSON.parse(Buffer.from(output.Payload).toString('utf8')) as unknown) };
}

export async function awsAssumeRole(client: STSClient, roleArn: string, externalId?: string, durationSeconds = 900): Promise<Keys> {
  const output = await client.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lakefn-test', DurationSeconds: durationSeconds, ...(externalId === undefined ? {} : { ExternalId: externalId }) }),
  );
  const credentials = output.Credentials;
  if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) throw new Error('no credentials');
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}

// ---- Alibaba Cloud ----

function aliyunConfig(cloud: MockCloud, keys: Keys): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    accessKeyId: keys.accessKeyId,
    accessKeySecret: keys.secretAccessKey,
    ...(keys.sessionToken === undefined ? {} : { securityToken: keys.sessionToken }),
    regionId: 'cn-shanghai',
    endpoint: new URL(cloud.endpoints.aliyun.fc).host,
    protocol: 'http',
    // the SDK's 10 s default is tight for a 32 MB upload on a busy 2-core machine
    readTimeout: 60_000,
  });
}

export function fcClient(cloud: MockCloud, keys: Keys): FcModule.default {
  return new FcModule.default(aliyunConfig(cloud, keys));
}

export function aliyunStsClient(cloud: MockCloud, keys: Keys): StsModule.default {
  return new StsModule.default(aliyunConfig(cloud, keys));
}

export async function fcInvoke(client: FcModule.default, functionName: string, payload: unknown) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
  const response = await client.invokeFunction(functionName, new InvokeFunctionRequest({ body: Readable.from([body]) }));
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  const text = Buffer.concat(chunks).toString('utf8');
  return { statusCode: response.statusCode, headers: response.headers ?? {}, text };
}

export async function aliyunAssumeRole(client: StsModule.default, roleArn: string, externalId?: string, durationSeconds = 900): Promise<Keys> {
  const response = await client.assumeRole(
    new AssumeRoleRequest({ roleArn, roleSessionName: 'lakefn-test', durationSeconds, ...(externalId === undefined ? {} : { externalId }) }),
  );
  const credentials = response.body?.credentials;
  if (credentials?.accessKeyId === undefined || credentials.accessKeySecret === undefined) throw new Error('no credentials');
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.accessKeySecret, sessionToken: credentials.securityToken };
}

// ---- Tencent Cloud ----

/** Resolves every host to 127.0.0.1 so that the SDK can use a realistic endpoint (and credential scope). */
export const loopbackAgent = new Agent({
  keepAlive: true,
  lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never,
});

function tencentProfile(cloud: MockCloud, service: 'scf' | 'sts', realisticHost: boolean, reqTimeout = 60) {
  const port = new URL(cloud.endpoints.tencent.scf).port;
  return {
    httpProfile: realisticHost
      ? { endpoint: `${service}.tencentcloudapi.com:${port}`, protocol: 'http://', agent: loopbackAgent, reqTimeout }
      : { endpoint: `127.0.0.1:${port}`, protocol: 'http://', reqTimeout },
  };
}

function tencentCredential(keys: Keys) {
  return { secretId: keys.accessKeyId, secretKey: keys.secretAccessKey, ...(keys.sessionToken === undefined ? {} : { token: keys.sessionToken }) };
}

/** `realisticHost` (default): endpoint scf.tencentcloudapi.com:PORT resolved to loopback, so the scope says `scf`. */
export function scfClient(cloud: MockCloud, keys: Keys, options: { region?: string; realisticHost?: boolean; timeoutSeconds?: number } = {}) {
  return new scf.v20180416.Client({
    credential: tencentCredential(keys),
    region: options.region ?? 'ap-guangzhou',
    profile: tencentProfile(cloud, 'scf', options.realisticHost ?? true, options.timeoutSeconds),
  });
}

export function tencentStsClient(cloud: MockCloud, keys: Keys, realisticHost = true) {
  return new tencentSts.v20180813.Client({ credential: tencentCredential(keys), region: 'ap-guangzhou', profile: tencentProfile(cloud, 'sts', realisticHost) });
}

export async function tencentAssumeRole(client: ReturnType<typeof tencentStsClient>, roleArn: string, externalId?: string, durationSeconds = 900): Promise<Keys> {
  const response = await client.AssumeRole({ RoleArn: roleArn, RoleSessionName: 'lakefn-test', DurationSeconds: durationSeconds, ...(externalId === undefined ? {} : { ExternalId: externalId }) });
  const credentials = response.Credentials;
  if (credentials?.TmpSecretId === undefined || credentials.TmpSecretKey === undefined) throw new Error('no credentials');
  return { accessKeyId: credentials.TmpSecretId, secretAccessKey: credentials.TmpSecretKey, sessionToken: credentials.Token };
}
