import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN_MARK } from '../catalog/authentication-rules.ts';
import { LakefnError } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS, type ApiTokenRecord, type PrincipalRecord } from '../spec/governance-records.ts';
import type { TableCell, TableResult } from '../sql/execute-result.ts';
import type { AddTokenStatement, RevokeTokenStatement, SetOidcSubjectStatement, ShowTokensStatement } from '../sql/statement.ts';
import { expiryOf } from '../sql/user-parser.ts';
import type { GovernedRequest, PrivilegeQuestion } from './authorize-request.ts';
import type { HandlerOutcome } from './object-statements.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * API tokens and OIDC subjects: how users authenticate to `lakefn serve`.
 * - A user manages its own tokens (issue, list, revoke), as with any personal access token; administrators manage
 *   everyone's, and `auditor` lists them (metadata only: the token is never stored).
 * - Only administrators bind an OIDC subject (it decides who an IdP identity is).
 * - A token for, or the OIDC subject of, a member of super_administrator (anyone's but one's own) is for
 *   super_administrator alone: otherwise an admin could authenticate as a super administrator and lift the rules that
 *   bind admin (the same rule as membership of super_administrator and admin).
 */

const PROTECTED_USER_RULE = 'only super_administrator issues tokens for, or binds the OIDC subject of, a member of super_administrator';
/** Random bytes in a token: 256 bits. */
const TOKEN_BYTES = 32;

/** SHA-256 (hex) of a token, as stored and looked up. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function addTokenGoverned(context: StatementContext, statement: AddTokenStatement): Promise<HandlerOutcome> {
  const user = authorizeForUser(context, statement.user, 'lakefn:CreateToken');
  const secret = randomBytes(TOKEN_BYTES).toString('base64url');
  const token = `${API_TOKEN_MARK}${secret}`;
  const issued = new Date();
  const record: ApiTokenRecord = {
    id: `tk${randomBytes(8).toString('hex')}`,
    userId: user.id,
    prefix: token.slice(0, API_TOKEN_MARK.length + 8),
    tokenHash: hashApiToken(token),
    comment: statement.comment,
    createdBy: context.principal.name,
    createdAt: issued.toISOString(),
    expiresAt: statement.expiresIn === null ? null : expiryOf(issued, statement.expiresIn).toISOString(),
    lastUsedAt: null,
  };
  await context.session.governance.insertApiToken(record);
  const expires = record.expiresAt === null ? 'never expires' : `expires ${record.expiresAt}`;
  return {
    result: {
      kind: 'change',
      statement: statement.kind,
      position: statement.position,
      notices: ['the token is shown once: lakefn keeps only its SHA-256, so store it now (send it as "Authorization: Bearer <token>" or LAKEFN_TOKEN)'],
      object: 'token',
      name: record.id,
      outcome: 'created',
      message: `token ${record.id} (${record.prefix}…) issued for user ${user.name}; it ${expires}`,
      token: { id: record.id, token, prefix: record.prefix, user: user.name, created_at: record.createdAt, expires_at: record.expiresAt },
    },
    project: null,
  };
}

export async function revokeTokenGoverned(context: StatementContext, statement: RevokeTokenStatement): Promise<HandlerOutcome> {
  const user = authorizeForUser(context, statement.user, 'lakefn:RevokeToken');
  const tokens = await context.session.governance.apiTokens(user.id);
  const revoked = tokens.find((token) => token.id === statement.tokenId);
  if (!(await context.session.governance.deleteApiToken(statement.tokenId, user.id))) {
    throw new LakefnError('E_NO_SUCH_TOKEN', `user ${user.name} has no token ${statement.tokenId} (SHOW TOKENS FOR USER ${user.name} lists them)`, { data: { user: user.name, token: statement.tokenId } });
  }
  return {
    result: {
      kind: 'change', statement: statement.kind, position: statement.position, notices: [], object: 'token', name: statement.tokenId, outcome: 'revoked',
      message: `token ${statement.tokenId} of user ${user.name} revoked; requests presenting it are refused from now on`,
    },
    project: null,
    ...(revoked === undefined ? {} : { before: tokenMetadata(revoked, user.name) }),
  };
}

export async function setOidcSubjectGoverned(context: StatementContext, statement: SetOidcSubjectStatement): Promise<HandlerOutcome> {
  const target = context.model.principal('user', statement.user);
  context.require({ action: 'lakefn:SetOidcSubject', privilege: { kind: 'administrators' }, ...protectedUserRule(context, target) }, null, 'always');
  const user = context.principalNamed({ kind: 'user', name: statement.user });
  const governance = context.session.governance;
  const previous = (await governance.oidcSubjects()).find((binding) => binding.userId === user.id);
  if (statement.subject !== null) {
    const holder = await governance.oidcSubject(statement.subject);
    if (holder !== undefined && holder.userId !== user.id) {
      throw new LakefnError('E_OIDC_SUBJECT_IN_USE', `OIDC subject '${statement.subject}' is already bound to ${context.model.describe(holder.userId)}; a subject authenticates one user (unbind it there first)`);
    }
  }
  await governance.setOidcSubject(user.id, statement.subject);
  const message = statement.subject === null
    ? `user ${user.name} has no OIDC subject${previous === undefined ? ' (it had none)' : ` (was '${previous.subject}')`}`
    : `user ${user.name} is authenticated by OIDC subject '${statement.subject}'`;
  return {
    result: { kind: 'change', statement: statement.kind, position: statement.position, notices: [], object: 'user', name: user.name, outcome: 'altered', message },
    project: null,
    before: { oidc_subject: previous?.subject ?? null },
  };
}

export const TOKEN_COLUMNS = ['user', 'id', 'prefix', 'comment', 'created_by', 'created_at', 'expires_at', 'last_used_at', 'status'] as const;

export async function showTokensGoverned(context: StatementContext, statement: ShowTokensStatement): Promise<HandlerOutcome> {
  const own = ownUser(context);
  const named = statement.user ?? (context.principal.admin || context.principal.auditor ? null : own?.name ?? null);
  const self = named !== null && own !== undefined && named === own.name;
  const everyone: PrivilegeQuestion = { kind: 'any', alternatives: [{ kind: 'administrators' }, { kind: 'role', roles: ['auditor'] }] };
  context.require({ action: 'lakefn:ListTokens', privilege: self ? { kind: 'held', description: `the tokens of one's own user (${named})` } : everyone }, null);
  const user = named === null ? undefined : context.principalNamed({ kind: 'user', name: named });
  const tokens = await context.session.governance.apiTokens(user?.id);
  const now = Date.now();
  const rows: TableCell[][] = tokens.map((token) => [
    context.model.principalById(token.userId)?.name ?? token.userId,
    token.id, token.prefix, token.comment, token.createdBy, token.createdAt, token.expiresAt, token.lastUsedAt,
    token.expiresAt !== null && Date.parse(token.expiresAt) <= now ? 'EXPIRED' : 'ACTIVE',
  ]);
  rows.sort((left, right) => String(left[0]).localeCompare(String(right[0])) || String(left[5]).localeCompare(String(right[5])));
  const damaged = context.session.governance.damaged;
  const notices = damaged.length === 0 ? [] : [`${damaged.length} row(s) failed their integrity check and authenticate no one: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
  const result: TableResult = { kind: 'table', statement: statement.kind, position: statement.position, notices, columns: TOKEN_COLUMNS, rows };
  return { result, project: null };
}

/** The token statements' authorization: one's own user (self-service), else administrators (and the protected-user rule). */
function authorizeForUser(context: StatementContext, name: string, action: 'lakefn:CreateToken' | 'lakefn:RevokeToken'): PrincipalRecord {
  const own = ownUser(context);
  const target = context.model.principal('user', name);
  const self = own !== undefined && own.name === name;
  const request: GovernedRequest = self
    ? { action, privilege: { kind: 'held', description: `one's own user (${name})` } }
    : { action, privilege: { kind: 'administrators' }, ...protectedUserRule(context, target) };
  context.require(request, null, 'always');
  return target ?? context.principalNamed({ kind: 'user', name });
}

function protectedUserRule(context: StatementContext, target: PrincipalRecord | undefined): Pick<GovernedRequest, 'rule'> {
  if (target === undefined || !context.model.holds(target.id, BUILT_IN_ROLE_IDS.super_administrator)) return {};
  return { rule: { refused: `user ${target.name} is a member of super_administrator, and ${PROTECTED_USER_RULE}`, superAdministratorMay: true } };
}

/** The catalog user the principal is (not the bootstrap administrator, which has no user row). */
function ownUser(context: StatementContext): PrincipalRecord | undefined {
  const record = context.principal.record;
  return record?.kind === 'user' ? record : undefined;
}

function tokenMetadata(token: ApiTokenRecord, user: string): Record<string, string | null> {
  return { user, id: token.id, prefix: token.prefix, comment: token.comment, created_at: token.createdAt, expires_at: token.expiresAt, last_used_at: token.lastUsedAt };
}
