import { validateComment } from '../catalog/validate-connection-fields.ts';
import { PRIVILEGES_BY_KIND, type GrantObjectKind, type Privilege } from '../spec/governance-records.ts';
import { parseConnectionName, parseFunctionName } from './function-parser.ts';
import type { Token } from './lexer.ts';
import { parseLike } from './like-clause.ts';
import type { ObjectReference, PrincipalReference, StatementBody } from './statement.ts';
import { positionedError, syntaxError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/**
 * The Governance I statements: projects, users and roles, role memberships, object privileges, ownership, SHOW GRANTS
 * and SHOW FUNCTION HISTORY. Errors are positioned at the offending token like every other statement's.
 */

type Parsed = StatementBody;

/** The one-word privileges, by the word written (CREATE CONNECTION and CREATE FUNCTION are read as pairs). */
const PRIVILEGE_WORDS: ReadonlyMap<string, Privilege> = new Map<string, Privilege>([
  ['usage', 'USAGE'],
  ['describe', 'DESCRIBE'],
  ['execute', 'EXECUTE'],
  ['monitor', 'MONITOR'],
]);

/** After CREATE (not OR REPLACE): PROJECT, USER or ROLE; undefined when none of them follows. */
export function parseGovernanceCreate(cursor: TokenCursor): Parsed | undefined {
  const what = cursor.isKeyword('project') ? 'project' : cursor.isKeyword('user') ? 'user' : cursor.isKeyword('role') ? 'role' : undefined;
  if (what === undefined) return undefined;
  cursor.next();
  const ifNotExists = cursor.acceptKeywords('if', 'not', 'exists');
  const name = parseSimpleName(cursor, `a ${what} name`, what !== 'project');
  let comment: string | null = null;
  if (cursor.acceptKeywords('comment')) {
    cursor.acceptSymbol('=');
    const token = cursor.expectString('after COMMENT');
    comment = validateComment(token.value, { line: token.line, column: token.column });
  }
  const kind = what === 'project' ? 'create-project' : what === 'user' ? 'create-user' : 'create-role';
  return { kind, name, ifNotExists, comment };
}

/** After DROP: PROJECT, USER or ROLE; undefined otherwise (connections and functions are parsed by the caller). */
export function parseGovernanceDrop(cursor: TokenCursor): Parsed | undefined {
  if (cursor.acceptKeywords('project')) {
    const ifExists = cursor.acceptKeywords('if', 'exists');
    const name = parseSimpleName(cursor, 'a project name', false);
    const cascade = cursor.acceptKeywords('cascade');
    if (!cascade) cursor.acceptKeywords('restrict');
    return { kind: 'drop-project', name, ifExists, cascade };
  }
  const what = cursor.isKeyword('user') ? 'user' : cursor.isKeyword('role') ? 'role' : undefined;
  if (what === undefined) return undefined;
  cursor.next();
  const ifExists = cursor.acceptKeywords('if', 'exists');
  const name = parseSimpleName(cursor, `a ${what} name`, true);
  return what === 'user' ? { kind: 'drop-user', name, ifExists } : { kind: 'drop-role', name, ifExists };
}

/** After SHOW: PROJECTS, USERS, ROLES, GRANTS ON|TO, FUNCTION HISTORY; undefined otherwise. */
export function parseGovernanceShow(cursor: TokenCursor): Parsed | undefined {
  if (cursor.acceptKeywords('projects')) return { kind: 'show-projects', like: parseLike(cursor) };
  if (cursor.acceptKeywords('users')) return { kind: 'show-users', like: parseLike(cursor) };
  if (cursor.acceptKeywords('roles')) return { kind: 'show-roles', like: parseLike(cursor) };
  if (cursor.acceptKeywords('grants')) {
    if (cursor.acceptKeywords('on')) return { kind: 'show-grants-on', object: parseObjectReference(cursor) };
    if (cursor.acceptKeywords('to')) return { kind: 'show-grants-to', grantee: parsePrincipal(cursor) };
    throw cursor.fail('expected ON <object> or TO USER|ROLE <name> after SHOW GRANTS');
  }
  if (cursor.acceptKeywords('function', 'history')) return parseFunctionHistory(cursor);
  if (cursor.acceptKeywords('tokens')) {
    if (!cursor.acceptKeywords('for')) return { kind: 'show-tokens', user: null };
    cursor.expectKeyword('user', 'after SHOW TOKENS FOR (SHOW TOKENS FOR USER <name>)');
    return { kind: 'show-tokens', user: parseSimpleName(cursor, 'a user name', true) };
  }
  return undefined;
}

/** `USE PROJECT p`. */
export function parseUse(cursor: TokenCursor): Parsed {
  cursor.expectKeyword('project', 'after USE (USE PROJECT <name>)');
  return { kind: 'use-project', name: parseSimpleName(cursor, 'a project name', false) };
}

/** After GRANT: `ROLE r TO …`, `OWNERSHIP ON … TO …` or `priv[, …] ON … TO … [WITH GRANT OPTION]`. */
export function parseGrant(cursor: TokenCursor): Parsed {
  if (cursor.acceptKeywords('role')) {
    const role = parseSimpleName(cursor, 'a role name', true);
    cursor.expectKeyword('to', 'after GRANT ROLE <role> (GRANT ROLE <role> TO USER|ROLE <name>)');
    return { kind: 'grant-role', role, member: parsePrincipal(cursor) };
  }
  if (cursor.acceptKeywords('ownership')) {
    cursor.expectKeyword('on', 'after GRANT OWNERSHIP');
    const object = parseObjectReference(cursor);
    cursor.expectKeyword('to', 'after the object (GRANT OWNERSHIP ON <object> TO USER|ROLE <name>)');
    return { kind: 'grant-ownership', object, grantee: parsePrincipal(cursor) };
  }
  const written = parsePrivilegeList(cursor, 'GRANT');
  cursor.expectKeyword('on', 'after the privileges (GRANT <privilege> ON <object> TO USER|ROLE <name>)');
  const object = parseObjectReference(cursor);
  const privileges = checkPrivileges(written, object.kind);
  cursor.expectKeyword('to', 'after the object (GRANT <privilege> ON <object> TO USER|ROLE <name>)');
  const grantee = parsePrincipal(cursor);
  const grantOption = cursor.acceptKeywords('with', 'grant', 'option');
  return { kind: 'grant-privilege', privileges, object, grantee, grantOption };
}

/** After REVOKE: `ROLE r FROM …` or `[GRANT OPTION FOR] priv[, …] ON … FROM … [CASCADE | RESTRICT]`. */
export function parseRevoke(cursor: TokenCursor): Parsed {
  if (cursor.acceptKeywords('role')) {
    const role = parseSimpleName(cursor, 'a role name', true);
    cursor.expectKeyword('from', 'after REVOKE ROLE <role> (REVOKE ROLE <role> FROM USER|ROLE <name>)');
    return { kind: 'revoke-role', role, member: parsePrincipal(cursor) };
  }
  if (cursor.isKeyword('ownership')) {
    throw syntaxError(cursor.peek(), 'OWNERSHIP cannot be revoked: transfer it with GRANT OWNERSHIP ON <object> TO USER|ROLE <name>');
  }
  const grantOptionOnly = cursor.acceptKeywords('grant', 'option', 'for');
  const written = parsePrivilegeList(cursor, 'REVOKE');
  cursor.expectKeyword('on', 'after the privileges (REVOKE <privilege> ON <object> FROM USER|ROLE <name>)');
  const object = parseObjectReference(cursor);
  const privileges = checkPrivileges(written, object.kind);
  cursor.expectKeyword('from', 'after the object (REVOKE <privilege> ON <object> FROM USER|ROLE <name>)');
  const grantee = parsePrincipal(cursor);
  const cascade = cursor.acceptKeywords('cascade');
  if (!cascade) cursor.acceptKeywords('restrict');
  return { kind: 'revoke-privilege', privileges, object, grantee, grantOptionOnly, cascade };
}

interface WrittenPrivileges {
  /** null: ALL [PRIVILEGES]. */
  readonly privileges: readonly { readonly privilege: Privilege; readonly token: Token }[] | null;
  readonly token: Token;
}

function parsePrivilegeList(cursor: TokenCursor, verb: string): WrittenPrivileges {
  const first = cursor.peek();
  if (cursor.acceptKeywords('all')) {
    cursor.acceptKeywords('privileges');
    return { privileges: null, token: first };
  }
  const privileges: { privilege: Privilege; token: Token }[] = [];
  do {
    const token = cursor.peek();
    if (cursor.acceptKeywords('create', 'connection')) privileges.push({ privilege: 'CREATE CONNECTION', token });
    else if (cursor.acceptKeywords('create', 'function')) privileges.push({ privilege: 'CREATE FUNCTION', token });
    else {
      const single = token.kind === 'word' ? PRIVILEGE_WORDS.get(token.value) : undefined;
      if (single === undefined) {
        throw cursor.fail(`expected a privilege after ${verb} (USAGE, DESCRIBE, EXECUTE, CREATE CONNECTION, CREATE FUNCTION, MONITOR, ALL, OWNERSHIP or ROLE)`);
      }
      cursor.next();
      privileges.push({ privilege: single, token });
    }
  } while (cursor.acceptSymbol(','));
  return { privileges, token: first };
}

/** The privileges, each checked against the object's kind (ALL: every privilege of the kind). */
function checkPrivileges(written: WrittenPrivileges, kind: GrantObjectKind): Privilege[] {
  const allowed: readonly Privilege[] = PRIVILEGES_BY_KIND[kind];
  if (written.privileges === null) return [...allowed];
  const result: Privilege[] = [];
  for (const { privilege, token } of written.privileges) {
    if (!allowed.includes(privilege)) {
      throw positionedError('E_INVALID_ARGUMENT', token, `privilege ${privilege} does not apply to a ${kind} (a ${kind}'s privileges: ${allowed.join(', ')}, and OWNERSHIP)`);
    }
    if (!result.includes(privilege)) result.push(privilege);
  }
  return result;
}

/** `PROJECT p`, `[API] CONNECTION [p.]c` or `[EXTERNAL] FUNCTION [p.][s.]f`. */
export function parseObjectReference(cursor: TokenCursor): ObjectReference {
  if (cursor.acceptKeywords('project')) return { kind: 'project', name: parseSimpleName(cursor, 'a project name', false) };
  if (cursor.acceptKeywords('api', 'connection') || cursor.acceptKeywords('connection')) {
    const { name, project } = parseConnectionName(cursor);
    return { kind: 'connection', name, ...(project === null ? {} : { project }) };
  }
  if (cursor.acceptKeywords('external', 'function') || cursor.acceptKeywords('function')) {
    const { name, project } = parseFunctionName(cursor);
    return { kind: 'function', name, ...(project === null ? {} : { project }) };
  }
  throw cursor.fail('expected PROJECT, [API] CONNECTION or [EXTERNAL] FUNCTION');
}

/** `USER u` or `ROLE r` (`ROLE PUBLIC` is the implicit role every principal holds). */
export function parsePrincipal(cursor: TokenCursor): PrincipalReference {
  if (cursor.acceptKeywords('user')) return { kind: 'user', name: parseSimpleName(cursor, 'a user name', true) };
  if (cursor.acceptKeywords('role')) return { kind: 'role', name: parseSimpleName(cursor, 'a role name', true) };
  throw cursor.fail('expected USER <name> or ROLE <name>');
}

/** `[FOR f] [SINCE 'T'] [BY HOUR | DAY]`, in that order. */
function parseFunctionHistory(cursor: TokenCursor): Parsed {
  let name: string | null = null;
  let project: string | null = null;
  if (cursor.acceptKeywords('for')) ({ name, project } = parseFunctionName(cursor));
  let since: string | null = null;
  if (cursor.acceptKeywords('since')) {
    const token = cursor.expectString("after SINCE (an ISO-8601 time, e.g. '2026-01-31' or '2026-01-31T08:00:00Z')");
    since = parseInstant(token);
  }
  let bucket: 'hour' | 'day' = 'hour';
  if (cursor.acceptKeywords('by')) {
    if (cursor.acceptKeywords('day')) bucket = 'day';
    else if (!cursor.acceptKeywords('hour')) throw cursor.fail('expected HOUR or DAY after BY');
  }
  return { kind: 'show-function-history', name, ...(project === null ? {} : { project }), since, bucket };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO-8601 date or time (UTC unless it says otherwise) as ISO-8601 UTC with milliseconds. */
export function parseInstant(token: Token): string {
  const instant = normalizeInstant(token.value);
  if (instant === undefined) throw positionedError('E_INVALID_ARGUMENT', token, `'${token.value.trim().slice(0, 40)}' is not an ISO-8601 date or time (e.g. '2026-01-31' or '2026-01-31T08:00:00Z')`);
  return instant;
}

/** `2026-01-31`, `2026-01-31T08:00`, `2026-01-31 08:00:00.5+02:00` … as ISO-8601 UTC, or undefined when it is none of them. */
export function normalizeInstant(value: string): string | undefined {
  const text = value.trim();
  const normalised = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[Zz]|[+-]\d{2}:\d{2}$/.test(text) ? text : `${text}Z`;
  const time = INSTANT.test(text) ? Date.parse(normalised.replace(' ', 'T')) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** A single identifier; user and role names may not contain ':' (the audit log's `local:<os user>` is reserved). */
export function parseSimpleName(cursor: TokenCursor, what: string, principal: boolean): string {
  const { name, token } = cursor.expectIdentifier(what);
  if (principal && name.includes(':')) throw positionedError('E_INVALID_NAME', token, `${what} ${cursor.describe(token)} may not contain ':' (reserved for local:<os user> in the audit log)`);
  return name;
}
