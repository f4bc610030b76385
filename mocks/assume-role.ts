import type { StoredCredential } from './account-registry.ts';
import { type MockState, mockProviderOf } from './mock-state.ts';
import type { ProviderName } from './mock-types.ts';
import type { MockRole } from './role-registry.ts';
import { trustAllows } from './trust-policy.ts';

export interface AssumeRoleParameters {
  readonly roleArn: string | undefined;
  readonly sessionName: string | undefined;
  readonly durationSeconds: string | number | undefined;
  readonly externalId: string | undefined;
}

/** Why AssumeRole was refused; each provider renders its own code. */
export type AssumeRoleRefusal =
  | 'missing_role_arn'
  | 'missing_session_name'
  | 'invalid_session_name'
  | 'invalid_duration'
  | 'duration_exceeds_role_maximum'
  | 'invalid_external_id'
  | 'role_not_found'
  | 'not_trusted';

export type AssumeRoleDecision =
  | { readonly ok: true; readonly role: MockRole; readonly credential: StoredCredential; readonly expiresAt: number; readonly sessionName: string }
  | { readonly ok: false; readonly refusal: AssumeRoleRefusal; readonly detail: string };

const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]+$/;
const MAX_EXTERNAL_ID_LENGTH = 1224;

function refuse(refusal: AssumeRoleRefusal, detail: string): AssumeRoleDecision {
  return { ok: false, refusal, detail };
}

/**
 * The provider-neutral AssumeRole under the cloud's own rules (MockProvider `sts`, `trust`): validates the parameters,
 * finds the role in the caller's partition, applies its trust policy to the caller's account and external ID, and
 * issues temporary credentials of the role's account expiring on the mock clock (at a whole second, as the providers
 * report it).
 */
export function assumeRole(state: MockState, provider: ProviderName, caller: StoredCredential, parameters: AssumeRoleParameters): AssumeRoleDecision {
  const rules = mockProviderOf(state.providers, provider).sts;
  const { roleArn, sessionName, externalId } = parameters;
  if (roleArn === undefined || roleArn === '') return refuse('missing_role_arn', 'RoleArn is mandatory for this action.');
  if (sessionName === undefined || sessionName === '') return refuse('missing_session_name', 'RoleSessionName is mandatory for this action.');
  if (sessionName.length < 2 || sessionName.length > rules.maxSessionNameLength || !rules.sessionNamePattern.test(sessionName)) {
    return refuse('invalid_session_name', `RoleSessionName '${sessionName.slice(0, 140)}' must be 2 to ${rules.maxSessionNameLength} characters of ${rules.sessionNamePattern.source}.`);
  }
  if (externalId !== undefined && (externalId.length < 2 || externalId.length > MAX_EXTERNAL_ID_LENGTH || !EXTERNAL_ID_PATTERN.test(externalId))) {
    return refuse('invalid_external_id', `ExternalId must be 2 to ${MAX_EXTERNAL_ID_LENGTH} characters of ${EXTERNAL_ID_PATTERN.source}.`);
  }
  let requestedDuration: number | undefined;
  if (parameters.durationSeconds !== undefined && parameters.durationSeconds !== '') {
    requestedDuration = Number(parameters.durationSeconds);
    if (!Number.isInteger(requestedDuration) || requestedDuration < rules.minDurationSeconds || requestedDuration > 43_200) {
      return refuse('invalid_duration', `DurationSeconds must be an integer from ${rules.minDurationSeconds} to 43200.`);
    }
  }
  const role = state.roles.get(provider, roleArn);
  // a partition is a separate account space: its STS does not know roles of another
  if (role === undefined || role.partition !== caller.partition) return refuse('role_not_found', `The role does not exist: ${roleArn.slice(0, 300)}`);
  // trust first, so that an untrusted caller learns nothing about the role's settings
  if (!trustAllows(role.trust, caller.accountId, externalId, caller.partition)) {
    return refuse('not_trusted', `account ${caller.accountId} may not assume ${roleArn} with ${externalId === undefined ? 'no external ID' : 'this external ID'}`);
  }
  if (requestedDuration !== undefined && requestedDuration > role.maxSessionDurationSeconds) {
    return refuse('duration_exceeds_role_maximum', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${role.maxSessionDurationSeconds}).`);
  }
  const duration = requestedDuration ?? Math.min(rules.defaultDurationSeconds, role.maxSessionDurationSeconds);
  const now = state.clock.now();
  const expiresAt = Math.floor((now + duration * 1000) / 1000) * 1000;
  const credential = state.accounts.issueTemporary({ provider, accountId: role.accountId, partition: role.partition, roleArn: role.roleArn, sessionName, expiresAt, now });
  return { ok: true, role, credential, expiresAt, sessionName };
}

/** `2026-01-02T03:04:05Z`: ISO 8601 without milliseconds, as the STS APIs print it. */
export function isoSeconds(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
