import { hash } from 'node:crypto';
import { FUNCTIONGRAPH_REGIONS } from '../../../providers/huawei-functiongraph/huawei-functiongraph-catalog.ts';
import { assumeRole, type AssumeRoleRefusal } from '../../assume-role.ts';
import { jsonReply, type HandlerResult, type LogFields, type MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { huaweiAuthFailure, huaweiError, huaweiRequestId } from './huawei-functiongraph-responses.ts';
import { verifySdkHmacSha256 } from './huawei-functiongraph-signature-verifier.ts';

export const ASSUME_AGENCY_PATH = '/v5/agencies/assume';
export const AUTH_PROJECTS_PATH = '/v3/auth/projects';
/** A session switched into with temporary credentials (an agency chain) lasts at most an hour (iam_01_1237). */
const CHAINED_MAX_DURATION_SECONDS = 3600;

/** The project of an account in a region: stable, 32 hex characters, as real project ids look. */
export function projectIdOf(accountId: string, region: string): string {
  return hash('sha256', `project\n${accountId}\n${region}`, 'hex').slice(0, 32);
}

/** The region whose project this is in the account, or undefined. */
export function regionOfProject(accountId: string, projectId: string): string | undefined {
  return FUNCTIONGRAPH_REGIONS.find((region) => projectIdOf(accountId, region) === projectId);
}

/**
 * IAM 5.0 STS AssumeAgency: `POST /v5/agencies/assume` with `{"agency_urn", "agency_session_name",
 * "duration_seconds", "external_id"}` (AssumeAgencyReqBody of the SDK), answered `{"credentials": {"access_key_id",
 * "secret_access_key", "security_token", "expiration"}, "assumed_agency": {"urn", "id"}}`. Refusals: 404 STS5.1106 for
 * an unknown agency (documented), 403 STS5.0001 with an `encoded_authorization_message` when the trust policy does
 * not admit the caller (the code is the mock's: Huawei documents the shape, not this code).
 */
export function handleAssumeAgency(request: MockRequest, state: MockState): HandlerResult {
  const requestId = huaweiRequestId();
  const log: LogFields = { provider: 'huawei', api: 'sts:AssumeAgency', requestId };
  const verification = verifySdkHmacSha256(request, state.accounts.lookupFor('huawei'), request.receivedAt);
  if (!verification.ok) {
    const [status, code, message] = huaweiAuthFailure(verification.failure, verification.detail);
    return { reply: huaweiError(status, code, message, requestId), log: { ...log, errorCode: code, accessKeyId: verification.accessKeyId } };
  }
  const caller = verification.credential;
  const known: LogFields = { ...log, accessKeyId: caller.accessKeyId, accountId: caller.accountId };
  const body = parseBody(request.body);
  if (body === undefined) return failure(known, 400, 'STS5.0002', 'the request body must be a JSON object');
  const agencyUrn = text(body['agency_urn']);
  const duration = body['duration_seconds'];
  const durationSeconds = typeof duration === 'number' || typeof duration === 'string' ? duration : undefined;
  // an agency chain (temporary credentials as the caller) is limited to one hour
  if (caller.sessionToken !== undefined && durationSeconds !== undefined && Number(durationSeconds) > CHAINED_MAX_DURATION_SECONDS) {
    return failure({ ...known, roleArn: agencyUrn }, 400, 'STS5.0002', `duration_seconds may not exceed ${CHAINED_MAX_DURATION_SECONDS} when switching with a security token`);
  }
  const decision = assumeRole(state, 'huawei', caller, {
    roleArn: agencyUrn,
    sessionName: text(body['agency_session_name']),
    durationSeconds,
    externalId: text(body['external_id']),
  });
  const logged = { ...known, roleArn: agencyUrn };
  if (!decision.ok) {
    const [status, code, message] = refusal(decision.refusal, decision.detail, agencyUrn ?? '', caller.accountId);
    const extra = status === 403 ? { encoded_authorization_message: Buffer.from(`mock:${requestId}:${code}`).toString('base64') } : {};
    return { reply: huaweiError(status, code, message, requestId, extra), log: { ...logged, errorCode: code } };
  }
  const { role, credential, expiresAt, sessionName } = decision;
  return {
    reply: jsonReply(
      200,
      {
        assumed_agency: { urn: `sts::${role.accountId}::assumed-agency:${role.roleName}/${sessionName}`, id: `${role.roleId}:${sessionName}` },
        credentials: {
          access_key_id: credential.accessKeyId,
          secret_access_key: credential.secret,
          security_token: credential.sessionToken,
          expiration: new Date(expiresAt).toISOString(),
        },
      },
      { 'x-request-id': requestId },
    ),
    log: logged,
  };
}

/**
 * IAM KeystoneListAuthProjects: `GET /v3/auth/projects`, the projects the caller can reach: one per region of its
 * account, named after the region (`{"projects": [{"id", "name", "domain_id", "enabled", …}], "links"}`).
 */
export function handleAuthProjects(request: MockRequest, state: MockState): HandlerResult {
  const requestId = huaweiRequestId();
  const log: LogFields = { provider: 'huawei', api: 'iam:KeystoneListAuthProjects', requestId };
  const verification = verifySdkHmacSha256(request, state.accounts.lookupFor('huawei'), request.receivedAt);
  if (!verification.ok) {
    const [status, code, message] = huaweiAuthFailure(verification.failure, verification.detail);
    return { reply: huaweiError(status, code, message, requestId), log: { ...log, errorCode: code, accessKeyId: verification.accessKeyId } };
  }
  const { accountId, accessKeyId } = verification.credential;
  const host = headerValue(request.headers, 'host') ?? '127.0.0.1';
  const projects = FUNCTIONGRAPH_REGIONS.map((region) => {
    const id = projectIdOf(accountId, region);
    return { id, name: region, domain_id: accountId, parent_id: accountId, enabled: true, is_domain: false, description: '', links: { self: `https://${host}/v3/projects/${id}` } };
  });
  return { reply: jsonReply(200, { links: { self: `https://${host}${AUTH_PROJECTS_PATH}` }, projects }, { 'x-request-id': requestId }), log: { ...log, accessKeyId, accountId } };
}

function failure(log: LogFields, status: number, code: string, message: string): HandlerResult {
  return { reply: huaweiError(status, code, message, log.requestId), log: { ...log, errorCode: code } };
}

function parseBody(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function refusal(reason: AssumeRoleRefusal, detail: string, agencyUrn: string, callerAccountId: string): [number, string, string] {
  switch (reason) {
    case 'role_not_found':
      return [404, 'STS5.1106', `the agency '${agencyUrn.slice(0, 300)}' cannot be found`];
    case 'not_trusted':
      return [403, 'STS5.0001', `access denied: account ${callerAccountId} is not allowed to perform sts:agencies:assume on ${agencyUrn.slice(0, 300)}`];
    case 'missing_role_arn':
      return [400, 'STS5.0002', 'agency_urn is required'];
    case 'missing_session_name':
      return [400, 'STS5.0002', 'agency_session_name is required'];
    default:
      return [400, 'STS5.0002', detail];
  }
}
