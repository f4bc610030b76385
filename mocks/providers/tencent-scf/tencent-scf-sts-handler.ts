import type { StoredCredential } from '../../account-registry.ts';
import { assumeRole, isoSeconds, type AssumeRoleRefusal } from '../../assume-role.ts';
import type { HandlerResult, LogFields } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { tencentError, tencentSuccess } from './tencent-scf-responses.ts';

/** Tencent STS 2018-08-13 AssumeRole; the TC3 signature was verified by the Tencent dispatcher. */
export function handleTencentAssumeRole(
  body: Record<string, unknown>,
  caller: StoredCredential,
  requestId: string,
  state: MockState,
): HandlerResult {
  const roleArn = text(body['RoleArn']);
  const log: LogFields = { provider: 'tencent', api: 'sts:AssumeRole', requestId, accessKeyId: caller.accessKeyId, accountId: caller.accountId, roleArn };
  const duration = body['DurationSeconds'];
  const decision = assumeRole(state, 'tencent', caller, {
    roleArn,
    sessionName: text(body['RoleSessionName']),
    durationSeconds: typeof duration === 'number' || typeof duration === 'string' ? duration : undefined,
    externalId: text(body['ExternalId']),
  });
  if (!decision.ok) {
    const [code, message] = refusal(decision.refusal, decision.detail);
    return { reply: tencentError(code, message, requestId), log: { ...log, errorCode: code } };
  }
  const { credential, expiresAt } = decision;
  return {
    reply: tencentSuccess(
      {
        Credentials: { Token: credential.sessionToken, TmpSecretId: credential.accessKeyId, TmpSecretKey: credential.secret },
        ExpiredTime: Math.floor(expiresAt / 1000),
        Expiration: isoSeconds(expiresAt),
      },
      requestId,
    ),
    log,
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function refusal(reason: AssumeRoleRefusal, detail: string): [string, string] {
  switch (reason) {
    case 'missing_role_arn':
      return ['MissingParameter', 'The request is missing a required parameter `RoleArn`.'];
    case 'missing_session_name':
      return ['MissingParameter', 'The request is missing a required parameter `RoleSessionName`.'];
    case 'invalid_duration':
    case 'duration_exceeds_role_maximum':
      return ['InvalidParameter.OverTimeError', detail];
    case 'role_not_found':
      return ['ResourceNotFound.RoleNotFound', detail];
    case 'not_trusted':
      return ['UnauthorizedOperation', 'You are not authorized to assume this role: the role does not trust your account, or the ExternalId does not match.'];
    default:
      return ['InvalidParameter.ParamError', detail];
  }
}
