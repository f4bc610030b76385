import { randomUUID } from 'node:crypto';
import { assumeRole, isoSeconds, type AssumeRoleRefusal } from '../../assume-role.ts';
import type { HandlerResult, LogFields, MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import { awsPartitionOfRegion } from './aws-lambda-partitions.ts';
import { stsAuthError, stsError, stsSuccess, xmlEscape } from './aws-lambda-responses.ts';
import { verifySigV4 } from './aws-lambda-signature-verifier.ts';

/** AWS STS (awsQuery, form body, XML replies): AssumeRole only. */
export function handleAwsSts(request: MockRequest, state: MockState): HandlerResult {
  const requestId = randomUUID();
  const log: LogFields = { provider: 'aws', api: 'sts:AssumeRole', requestId };
  const verification = verifySigV4(request, state.accounts.lookupFor('aws'), request.receivedAt, 'sts', awsPartitionOfRegion);
  if (!verification.ok) {
    const { reply, code } = stsAuthError(verification.failure, verification.detail, requestId);
    return { reply, log: { ...log, errorCode: code, accessKeyId: verification.accessKeyId } };
  }
  const caller = verification.credential;
  const form = new URLSearchParams(request.body.toString('utf8'));
  const action = form.get('Action') ?? '';
  const known = { ...log, accessKeyId: caller.accessKeyId, accountId: caller.accountId, region: verification.scope.region };
  if (action !== 'AssumeRole') {
    return { reply: stsError(400, 'InvalidAction', `Could not find operation ${action.slice(0, 60)} for version 2011-06-15`, requestId), log: { ...known, errorCode: 'InvalidAction' } };
  }
  const roleArn = form.get('RoleArn') ?? undefined;
  if (state.disabledStsRegions.has(`aws/${known.region}`)) {
    // STS must be active in the region in the account the credentials are for: the role's (IAM User Guide, "Manage
    // AWS STS in an AWS Region"); the SDKs model the refusal as RegionDisabledException, HTTP 403
    const roleAccount = roleArn?.split(':')[4] ?? caller.accountId;
    const message = `STS is not activated in this region for account:${roleAccount}. Your account administrator can activate STS in this region using the IAM Console.`;
    return { reply: stsError(403, 'RegionDisabledException', message, requestId), log: { ...known, roleArn, errorCode: 'RegionDisabledException' } };
  }
  const decision = assumeRole(state, 'aws', caller, {
    roleArn,
    sessionName: form.get('RoleSessionName') ?? undefined,
    durationSeconds: form.get('DurationSeconds') ?? undefined,
    externalId: form.get('ExternalId') ?? undefined,
  });
  const logged = { ...known, roleArn };
  if (!decision.ok) {
    const [status, code, message] = refusal(decision.refusal, decision.detail, callerArn(caller.partition, caller.accountId, caller.roleArn, caller.sessionName), roleArn ?? '');
    return { reply: stsError(status, code, message, requestId), log: { ...logged, errorCode: code } };
  }
  const { role, credential, expiresAt, sessionName } = decision;
  const result =
    `    <AssumedRoleUser>\n      <AssumedRoleId>${role.roleId}:${xmlEscape(sessionName)}</AssumedRoleId>\n` +
    `      <Arn>arn:${role.partition}:sts::${role.accountId}:assumed-role/${xmlEscape(role.roleName)}/${xmlEscape(sessionName)}</Arn>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${credential.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${credential.secret}</SecretAccessKey>\n` +
    `      <SessionToken>${credential.sessionToken ?? ''}</SessionToken>\n      <Expiration>${isoSeconds(expiresAt)}</Expiration>\n    </Credentials>\n`;
  return { reply: stsSuccess('AssumeRole', result, requestId), log: logged };
}

/** The ARN AWS names in AccessDenied messages: the account root or the assumed role of temporary credentials. */
function callerArn(partition: string, accountId: string, roleArn: string | undefined, sessionName: string | undefined): string {
  if (roleArn === undefined) return `arn:${partition}:iam::${accountId}:root`;
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleArn.slice(roleArn.lastIndexOf('/') + 1)}/${sessionName ?? ''}`;
}

function refusal(reason: AssumeRoleRefusal, detail: string, caller: string, roleArn: string): [number, string, string] {
  switch (reason) {
    case 'role_not_found':
    case 'not_trusted':
      // AWS never says whether the role exists: both are AccessDenied
      return [403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn.slice(0, 300)}`];
    case 'missing_role_arn':
    case 'missing_session_name':
      return [400, 'MissingParameter', `The request must contain the parameter ${reason === 'missing_role_arn' ? 'RoleArn' : 'RoleSessionName'}`];
    default:
      return [400, 'ValidationError', detail];
  }
}
