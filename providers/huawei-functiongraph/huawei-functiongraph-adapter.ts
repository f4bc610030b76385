import { LakefnError, expectInteger, quoteValue } from '../../src/errors/index.ts';
import {
  ClockOffsets,
  type HttpInvokeResponse,
  assertPayloadWithinLimit,
  classifyProviderError,
  createUndiciPoolCache,
  headerValue,
  isRecord,
  localExpiration,
  parseJsonObject,
  resolveConnectionEndpoints,
  retryWithCorrectedClock,
  runProviderCall,
  sendHttpInvoke,
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
import { PROJECT_ID, isValidPackageName, parseAgencyUrn, parseFunctionUrn } from './huawei-functiongraph-catalog.ts';
import { IAM_ENDPOINT } from './huawei-functiongraph-endpoints.ts';
import { huaweiServiceError, huaweiTransportFacts } from './huawei-functiongraph-error-facts.ts';
import { type FunctionGraphTarget, createHuaweiHttpInvoke, signHuaweiRequest } from './huawei-functiongraph-http-invoke.ts';

/** What a Huawei Cloud call needs from its connection. */
export interface HuaweiFunctionGraphBinding extends ConnectionBindingV1 {
  /** The customer's account (domain) id, from the agency URN. */
  readonly accountId: string;
  /** The FunctionGraph package of the connection's functions (its NAMESPACE). */
  readonly packageName: string;
  /** Where the project of the account in the region is looked up (IAM). */
  readonly iamOrigin: URL;
}

export interface HuaweiFunctionGraphAdapterSettings extends ProviderAdapterSettings {
  /** Keep-alive sockets per host. @default 256 */
  readonly maxSockets?: number;
  /** Project ids remembered per (account, region). @default 1024 */
  readonly maxCachedProjects?: number;
}

/** STS and IAM answers are small JSON documents; more than this is not one. */
const MAX_IDENTITY_REPLY_BYTES = 1024 * 1024;
const ASSUME_AGENCY_PATH = '/v5/agencies/assume';
const AUTH_PROJECTS_PATH = '/v3/auth/projects';

/**
 * ProviderAdapterV1 for Huawei Cloud FunctionGraph with IAM 5.0 STS. Every request is signed with
 * @huaweicloud/huaweicloud-sdk-core's SDK-HMAC-SHA256 signer and sent over undici (the Node SDK has no STS package on
 * npm, and its FunctionGraph client drops the function-error headers); lakefn owns retries. `invokeTransport` has one
 * value here: there is no vendor invoke path to choose.
 *
 * The invoke path names the project of the customer's account in the region. It is looked up once per (account,
 * region) with the temporary credentials, as the SDK does when a credential has no project id: IAM's list of the
 * projects the caller can reach (`GET /v3/auth/projects`, KeystoneListAuthProjects), the one named after the region.
 */
export function createHuaweiFunctionGraphAdapter(definition: ProviderDefinition, settings: HuaweiFunctionGraphAdapterSettings): ProviderAdapterV1<HuaweiFunctionGraphBinding> {
  const pools = createUndiciPoolCache({ connections: expectInteger(settings.maxSockets ?? 256, 'maxSockets', 1) });
  // every endpoint's clock as measured from refused signatures (see retryWithCorrectedClock)
  const clock = new ClockOffsets();
  const httpInvoke = createHuaweiHttpInvoke({ definition, pools, clock });
  const maxCachedProjects = expectInteger(settings.maxCachedProjects ?? 1024, 'maxCachedProjects', 1);
  const projects = new Map<string, Promise<string>>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new LakefnError('E_CLOSED', `the ${definition.folder} provider adapter is closed`, { location: { provider: definition.id } });
  };

  const identityReplyLimit = (target: string) => ({
    maxBytes: MAX_IDENTITY_REPLY_BYTES,
    tooLarge: () => new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered ${quoteValue(target, 200)} with more than ${MAX_IDENTITY_REPLY_BYTES} bytes; check the endpoint`, { location: { provider: definition.id } }),
  });

  /** The project id of the binding's account in its region (cached; a failed lookup is tried again by the next call). */
  const projectIdFor = (options: InvokeCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<string> => {
    const { binding } = options;
    const key = `${binding.accountId}\n${binding.region}\n${binding.iamOrigin.origin}`;
    let project = projects.get(key);
    if (project === undefined) {
      if (projects.size >= maxCachedProjects) projects.clear();
      const iamOrigin = options.binding.iamOrigin.origin;
      project = lookUpProjectId(options)
        .catch((error: unknown) => retryWithCorrectedClock(clock, iamOrigin, error, () => lookUpProjectId(options)))
        .catch((error: unknown) => {
        projects.delete(key);
        throw error;
      });
      projects.set(key, project);
    }
    return project;
  };

  const lookUpProjectId = async (options: InvokeCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<string> => {
    const { binding, credentials } = options;
    const origin = binding.iamOrigin;
    const keys = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, securityToken: credentials.sessionToken };
    const secrets = [credentials.secretAccessKey, credentials.sessionToken];
    const subject = { provider: definition, target: options.functionName, timeoutMs: options.timeoutMs } as const;
    const outcome = await runProviderCall(options, async (signal) => {
      const headers = signHuaweiRequest({ method: 'GET', origin, path: AUTH_PROJECTS_PATH, headers: { 'Content-Type': 'application/json' }, body: undefined, clockOffsetMs: clock.offsetFor(origin.origin) }, keys);
      const response = await pools.poolFor(origin.origin).request({ method: 'GET', path: AUTH_PROJECTS_PATH, headers, signal, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
      const body = Buffer.from(await response.body.arrayBuffer());
      if (body.byteLength > MAX_IDENTITY_REPLY_BYTES) throw identityReplyLimit(AUTH_PROJECTS_PATH).tooLarge();
      return { statusCode: response.statusCode, headers: response.headers, body } satisfies HttpInvokeResponse;
    });
    if (!outcome.ok) {
      if (LakefnError.isInstance(outcome.error)) throw outcome.error;
      throw classifyProviderError(huaweiTransportFacts('invoke', outcome.error, outcome.deadline), subject, outcome.error, secrets);
    }
    const response = outcome.value;
    if (response.statusCode !== 200) {
      const { facts, cause } = huaweiServiceError('invoke', response);
      throw classifyProviderError(facts, subject, cause, secrets);
    }
    const listed = parseJsonObject(response.body)?.projects;
    const match: unknown = Array.isArray(listed) ? (listed as unknown[]).find((project) => isRecord(project) && project.name === binding.region) : undefined;
    const projectId = stringField(match, 'id');
    if (projectId === undefined || !PROJECT_ID.test(projectId)) {
      throw new LakefnError(
        'E_PROVIDER_CALL',
        `IAM lists no project ${quoteValue(binding.region)} that the agency ${quoteValue(binding.roleArn, 200)} can reach (connection ${quoteValue(binding.connectionName)}), so no FunctionGraph path can be built; ` +
          "check that the region is enabled in the customer's account and that the agency's identity policy covers it",
        { location: { connection: binding.connectionName, provider: definition.id } },
      );
    }
    return projectId;
  };

  /** The project and URN an invocation goes to; a URN of another project is refused before anything is sent. */
  const targetOf = async (options: InvokeCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<FunctionGraphTarget> => {
    const { binding, functionName } = options;
    const projectId = await projectIdFor(options);
    const version = options.qualifier ?? definition.catalog.functions.latestQualifier;
    const urn = parseFunctionUrn(functionName);
    if (urn === undefined) return { projectId, functionUrn: `urn:fss:${binding.region}:${projectId}:function:${binding.packageName}:${functionName}:${version}` };
    if (urn.region !== binding.region || urn.projectId !== projectId) {
      throw new LakefnError(
        'E_INVALID_FUNCTION',
        `function URN ${quoteValue(functionName, 160)} is in region ${urn.region}, project ${urn.projectId}, but the connection's account has project ${projectId} in region ${binding.region}; ` +
          "lakefn invokes only functions of the connection's account and region (give the function name, or a URN of that project); nothing was sent",
        { location: { connection: binding.connectionName, provider: definition.id } },
      );
    }
    return { projectId, functionUrn: `${functionName}:${version}` };
  };

  return {
    specificationVersion: 'v1',
    provider: definition.id,
    limits: definition.limits,

    async bindConnection(connection) {
      assertOpen();
      const endpoints = await resolveConnectionEndpoints(definition, connection, settings.endpoints);
      const agency = parseAgencyUrn(connection.roleArn);
      if (agency === undefined) throw tamperedConnectionError(definition, connection, 'do not name a Huawei Cloud trust agency');
      if (!isValidPackageName(connection.namespace)) throw tamperedConnectionError(definition, connection, `and NAMESPACE ${quoteValue(connection.namespace, 80)} do not make a valid FunctionGraph package`);
      const iamOrigin = endpoints.auxiliary[IAM_ENDPOINT];
      if (iamOrigin === undefined) throw tamperedConnectionError(definition, connection, 'do not make a valid IAM host');
      return { connectionName: connection.name, region: connection.region, roleArn: connection.roleArn, endpoints, accountId: agency.accountId, packageName: connection.namespace, iamOrigin };
    },

    async doAssumeRole(options: AssumeRoleCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<AssumeRoleResultV1> {
      assertOpen();
      try {
        return await assumeAgency(options);
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.sts.origin, error, () => assumeAgency(options));
      }
    },

    async doInvoke(options: InvokeCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<InvokeResultV1> {
      assertOpen();
      assertPayloadWithinLimit(definition, options.functionName, options.payload.byteLength);
      const target = await targetOf(options);
      try {
        return await httpInvoke(options, target);
      } catch (error) {
        return retryWithCorrectedClock(clock, options.binding.endpoints.invoke.origin, error, () => httpInvoke(options, target));
      }
    },

    async close(): Promise<void> {
      closed = true;
      projects.clear();
      await pools.close();
    },
  };

  /**
   * IAM 5.0 STS AssumeAgency: `POST /v5/agencies/assume` with `agency_urn`, `agency_session_name`, `duration_seconds`
   * and `external_id` (support.huaweicloud.com/api-iam5/AssumeAgency.html; the field names of the vendor SDK's
   * `AssumeAgencyReqBody`, huaweicloud-sdk-nodejs-v3 services/sts/v1), answered with `credentials` {access_key_id,
   * secret_access_key, security_token, expiration} and `assumed_agency` (`AssumeAgencyResponse`, `CredentialsDto`).
   */
  async function assumeAgency(options: AssumeRoleCallOptionsV1<HuaweiFunctionGraphBinding>): Promise<AssumeRoleResultV1> {
    const { broker, binding } = options;
    const origin = binding.endpoints.sts;
    const body = Buffer.from(
      JSON.stringify({
        agency_urn: binding.roleArn,
        agency_session_name: options.sessionName,
        duration_seconds: options.durationSeconds,
        ...(options.externalId === undefined ? {} : { external_id: options.externalId }),
      }),
    );
    const keys = { accessKeyId: broker.accessKeyId, secretAccessKey: broker.secretAccessKey };
    const subject = { provider: definition, target: binding.roleArn, timeoutMs: options.timeoutMs } as const;
    const outcome = await sendHttpInvoke(
      pools.poolFor(origin.origin),
      options,
      () => ({
        path: ASSUME_AGENCY_PATH,
        headers: signHuaweiRequest({ method: 'POST', origin, path: ASSUME_AGENCY_PATH, headers: { 'Content-Type': 'application/json' }, body, clockOffsetMs: clock.offsetFor(origin.origin) }, keys),
        body,
      }),
      identityReplyLimit(ASSUME_AGENCY_PATH),
    );
    if (!outcome.ok) throw classifyProviderError(huaweiTransportFacts('sts', outcome.error, outcome.deadline), subject, outcome.error, [broker.secretAccessKey]);
    const response = outcome.value;
    if (response.statusCode !== 200 && response.statusCode !== 201) {
      const { facts, cause } = huaweiServiceError('sts', response);
      throw classifyProviderError(facts, subject, cause, [broker.secretAccessKey]);
    }
    const reply = parseJsonObject(response.body);
    const credentials = isRecord(reply?.credentials) ? reply.credentials : undefined;
    const accessKeyId = stringField(credentials, 'access_key_id');
    const secretAccessKey = stringField(credentials, 'secret_access_key');
    const sessionToken = stringField(credentials, 'security_token');
    const expiration = new Date(stringField(credentials, 'expiration') ?? Number.NaN);
    if (accessKeyId === undefined || secretAccessKey === undefined || sessionToken === undefined || Number.isNaN(expiration.getTime())) {
      throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.sts} answered AssumeAgency without complete credentials`, { location: { provider: definition.id } });
    }
    const assumedRoleId = stringField(isRecord(reply?.assumed_agency) ? reply.assumed_agency : undefined, 'id');
    const requestId = headerValue(response.headers, 'x-request-id') ?? stringField(reply, 'request_id');
    return {
      credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: localExpiration(clock, origin.origin, expiration) },
      ...(assumedRoleId === undefined ? {} : { assumedRoleId }),
      ...(requestId === undefined ? {} : { requestId }),
    };
  }
}
