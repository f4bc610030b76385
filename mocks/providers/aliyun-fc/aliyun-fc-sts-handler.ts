import { randomUUID } from 'node:crypto';
import { assumeRole, isoSeconds, type AssumeRoleRefusal } from '../../assume-role.ts';
import { jsonReply, type HandlerResult, type LogFields, type MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { headerValue, parseQuery } from '../../signatures/uri-encoding.ts';
import { aliyunAuthFailure, aliyunStsError } from './aliyun-fc-responses.ts';
import { verifyAcs3 } from './aliyun-fc-signature-verifier.ts';

/** Alibaba Cloud STS 2015-04-01 (ACS3-signed RPC; parameters in the query or a form body): AssumeRole only. */
export function handleAliyunSts(request: MockRequest, state: MockState): HandlerResult {
  const requestId = randomUUID().toUpperCase();
  const log: LogFields = { provider: 'aliyun', api: 'sts:AssumeRole', requestId };
  const verification = verifyAcs3(request, state.accounts.lookupFor('aliyun'), request.receivedAt, state.nonces);
  if (!verification.ok) {
    const [status, code, message] = aliyunAuthFailure(verification.failure, verification.detail, 'sts');
    return { reply: aliyunStsError(status, code, message, requestId), log: { ...log, errorCode: code, accessKeyId: verification.accessKeyId } };
  }
  const caller = verification.credential;
  const known: LogFields = { ...log, accessKeyId: caller.accessKeyId, accountId: caller.accountId };
  const action = headerValue(request.headers, 'x-acs-action') ?? '';
  if (action !== 'AssumeRole') {
    return { reply: aliyunStsError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', requestId), log: { ...known, errorCode: 'InvalidAction.NotFound' } };
  }
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  const form = contentType.startsWith('application/x-www-form-urlencoded') ? (parseQuery(request.body.toString('utf8'), true) ?? []) : [];
  const parameters = new Map([...(parseQuery(request.query, true) ?? []), ...form]);
  const roleArn = parameters.get('RoleArn');
  const decision = assumeRole(state, 'aliyun', caller, {
    roleArn,
    sessionName: parameters.get('RoleSessionName'),
    durationSeconds: parameters.get('DurationSeconds'),
    externalId: parameters.get('ExternalId'),
  });
  const logged = { ...known, roleArn };
  if (!decision.ok) {
    const [status, code, message] = refusal(decision.refusal, decision.detail);
    return { reply: aliyunStsError(status, code, message, requestId), log: { ...logged, errorCode: code } };
  }
  const { role, credential, expiresAt, sessionName } = decision;
  const body = {
    RequestId: requestId,
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${sessionName}`, Arn: `acs:ram::${role.accountId}:role/${role.roleName.toLowerCase()}/${sessionName}` },
    Credentials: {
      SecurityToken: credential.sessionToken,
      AccessKeyId: credential.accessKeyId,
      AccessKeySecret: credential.secret,
      Expiration: isoSeconds(expiresAt),
    },
  };
  return { reply: jsonReply(200, body), log: logged };
}

function refusal(reason: AssumeRoleRefusal, detail: string): [number, string, string] {
  switch (reason) {
    case 'missing_role_arn':
      return [400, 'MissingRoleArn', 'RoleArn is mandatory for this action.'];
    case 'missing_session_name':
      return [400, 'MissingRoleSessionName', 'RoleSessionName is mandatory for this action.'];
    case 'invalid_session_name':
      return [400, 'InvalidParameter.RoleSessionName', detail];
    case 'invalid_external_id':
      return [400, 'InvalidParameter.ExternalId', detail];
    case 'invalid_duration':
    case 'duration_exceeds_role_maximum':
      return [400, 'InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/the role's maximum session duration. ${detail}`];
    case 'role_not_found':
      return [404, 'EntityNotExist.Role', detail];
    case 'not_trusted':
      return [403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.'];
  }
}
