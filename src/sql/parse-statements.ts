import { parseAlterConnection, parseCreateConnection } from './connection-parser.ts';
import { parseConnectionName, parseCreateFunction, parseFunctionName } from './function-parser.ts';
import { parseLike } from './like-clause.ts';
import { parseGrant, parseGovernanceCreate, parseGovernanceDrop, parseGovernanceShow, parseRevoke, parseUse } from './governance-parser.ts';
import { parseAlterUser } from './user-parser.ts';
import { tokenize } from './lexer.ts';
import {
  parseAlterProject, parseCreatePolicy, parseDescribePolicy, parseDropPolicy, parsePolicyAttachment, parsePolicyShow, parseSetBoundary, parseUnsetBoundary,
} from './policy-parser.ts';
import {
  isPackageGrants, isPackageReadGrant, parseAdd, parsePackageGrantsShow, parsePackageOwnership, parseAllow, parseInstallation, parsePackageCreate, parsePackageDescribe, parsePackageDrop, parsePackageReadGrant, parsePackageShow,
  parseRemove, parseSetLabel,
} from './package-parser.ts';
import type { Token } from './lexer.ts';
import type { ParseOptions, Statement, StatementBody } from './statement.ts';
import { syntaxError } from './syntax-error.ts';
import { TokenCursor } from './token-cursor.ts';

/** Longest DDL text accepted in one call (1 MiB). */
export const MAX_SQL_LENGTH = 1_048_576;

type Parsed = StatementBody;

const STATEMENT_VERBS =
  'CREATE, DESC, SHOW, ALTER, VALIDATE, DROP, GRANT, REVOKE, USE, ATTACH, DETACH, SET, UNSET, EXPLAIN, ADD, REMOVE, ALLOW, DISALLOW, INSTALL or UNINSTALL';

/**
 * Parses `;`-separated DDL (SPEC §3) into statements. Every returned statement is already validated as
 * far as it can be without the catalog. All-or-nothing: the first problem throws a LakefnError
 * (`E_SYNTAX`, `E_UNKNOWN_PROPERTY`, `E_INVALID_<FIELD>`, …) located at the offending token, and no
 * statement is returned, so a caller never executes a prefix of a broken script by accident.
 */
export function parseStatements(text: string, options: ParseOptions = {}): Statement[] {
  if (text.length > MAX_SQL_LENGTH) throw syntaxError({ line: 1, column: 1 }, `input is ${text.length} characters; at most ${MAX_SQL_LENGTH} are accepted`);
  const cursor = new TokenCursor(text, tokenize(text));
  const statements: Statement[] = [];
  for (;;) {
    while (cursor.acceptSymbol(';')) {
      // empty statements (`;;`) are allowed and skipped
    }
    const first = cursor.peek();
    if (first.kind === 'end') return statements;
    const parsed = parseStatement(cursor, options);
    const last = cursor.previous();
    if (!cursor.isSymbol(';') && cursor.peek().kind !== 'end') throw cursor.fail("expected ';' or the end of input after the statement");
    statements.push({ ...parsed, position: { line: first.line, column: first.column }, text: text.slice(first.start, last.end) });
  }
}

function parseStatement(cursor: TokenCursor, options: ParseOptions): Parsed {
  const verb = cursor.peek();
  if (verb.kind !== 'word') throw cursor.fail(`expected a statement (${STATEMENT_VERBS})`);
  cursor.next();
  switch (verb.value) {
    case 'create':
      return parseCreate(cursor, options);
    case 'desc':
    case 'describe':
      return parseDescribePolicy(cursor) ?? parsePackageDescribe(cursor) ?? parseObjectStatement(cursor, verb, { connection: 'describe-connection', function: 'describe-function' });
    case 'show':
      return parseShow(cursor);
    case 'alter': {
      if (cursor.acceptKeywords('user')) return parseAlterUser(cursor);
      const alterProject = parseAlterProject(cursor);
      if (alterProject !== undefined) return alterProject;
      cursor.acceptKeywords('api');
      cursor.expectKeyword('connection', 'after ALTER [API] (ALTER [API] CONNECTION or ALTER USER)');
      const { name, project } = parseConnectionName(cursor);
      return { ...parseAlterConnection(cursor, name), ...qualified(project) };
    }
    case 'validate': {
      cursor.acceptKeywords('api');
      cursor.expectKeyword('connection', 'after VALIDATE [API]');
      const { name, project } = parseConnectionName(cursor);
      return { kind: 'validate-connection', name, ...qualified(project) };
    }
    case 'drop':
      return parseGovernanceDrop(cursor) ?? parseDropPolicy(cursor) ?? parsePackageDrop(cursor) ?? parseObjectStatement(cursor, verb, { connection: 'drop-connection', function: 'drop-function' });
    case 'attach':
    case 'detach':
      return parsePolicyAttachment(cursor, verb.value === 'attach');
    case 'set':
      return cursor.isKeyword('label') ? parseSetLabel(cursor) : parseSetBoundary(cursor);
    case 'unset':
      return parseUnsetBoundary(cursor);
    case 'explain':
      return parseExplain(cursor, options);
    case 'grant':
      if (isPackageGrants(cursor, 'grant')) return parsePackageOwnership(cursor);
      return isPackageReadGrant(cursor) ? parsePackageReadGrant(cursor, true) : parseGrant(cursor);
    case 'revoke':
      return isPackageReadGrant(cursor) ? parsePackageReadGrant(cursor, false) : parseRevoke(cursor);
    case 'use':
      return parseUse(cursor);
    case 'add':
      return parseAdd(cursor);
    case 'remove':
      return parseRemove(cursor);
    case 'allow':
    case 'disallow':
      return parseAllow(cursor, verb.value === 'allow');
    case 'install':
    case 'uninstall':
      return parseInstallation(cursor, verb.value === 'install');
    default:
      throw syntaxError(verb, `unknown statement ${cursor.describe(verb)} (expected ${STATEMENT_VERBS})`);
  }
}

/** `EXPLAIN AUTHORIZATION [FOR USER u] <statement>`: the inner statement keeps its own position and text. */
function parseExplain(cursor: TokenCursor, options: ParseOptions): Parsed {
  cursor.expectKeyword('authorization', 'after EXPLAIN (EXPLAIN AUTHORIZATION [FOR USER <name>] <statement>)');
  const user = cursor.acceptKeywords('for', 'user') ? cursor.expectIdentifier('a user name').name : null;
  const first = cursor.peek();
  if (first.kind === 'end' || (first.kind === 'symbol' && first.value === ';')) throw cursor.fail('expected the statement to explain after EXPLAIN AUTHORIZATION');
  if (cursor.isKeyword('explain')) throw cursor.fail('expected a statement other than EXPLAIN after EXPLAIN AUTHORIZATION');
  const inner = parseStatement(cursor, options);
  const last = cursor.previous();
  const statement = { ...inner, position: { line: first.line, column: first.column }, text: cursor.source.slice(first.start, last.end) } as Statement;
  return { kind: 'explain-authorization', user, statement };
}

function parseCreate(cursor: TokenCursor, options: ParseOptions): Parsed {
  const orReplace = cursor.acceptKeywords('or', 'replace');
  if (cursor.acceptKeywords('api', 'connection') || cursor.acceptKeywords('connection')) return parseCreateConnection(cursor, orReplace, options);
  if (cursor.acceptKeywords('external', 'function')) return parseCreateFunction(cursor, orReplace);
  if (cursor.isKeyword('function')) throw cursor.fail('expected EXTERNAL FUNCTION (lakefn creates external functions only: CREATE EXTERNAL FUNCTION …)');
  const policy = parseCreatePolicy(cursor, orReplace);
  if (policy !== undefined) return policy;
  const governance = orReplace ? undefined : (parseGovernanceCreate(cursor) ?? parsePackageCreate(cursor));
  if (governance !== undefined) return governance;
  throw cursor.fail(`expected ${orReplace ? '' : 'OR REPLACE, '}API CONNECTION or EXTERNAL FUNCTION after CREATE${orReplace ? ' (or POLICY)' : ' (or PROJECT, USER, ROLE, POLICY or PACKAGE)'}`);
}

function qualified(project: string | null): { project?: string } {
  return project === null ? {} : { project };
}

/** DESC/DROP of a connection or a function: `[API] CONNECTION name` or `[EXTERNAL] FUNCTION [schema.]name`. */
function parseObjectStatement(
  cursor: TokenCursor,
  verb: Token,
  kinds: { readonly connection: 'describe-connection' | 'drop-connection'; readonly function: 'describe-function' | 'drop-function' },
): Parsed {
  const dropping = kinds.connection === 'drop-connection';
  if (cursor.acceptKeywords('api', 'connection') || cursor.acceptKeywords('connection')) {
    const ifExists = dropping && cursor.acceptKeywords('if', 'exists');
    const { name, project } = parseConnectionName(cursor);
    if (!dropping) return { kind: 'describe-connection', name, ...qualified(project) };
    return { kind: 'drop-connection', name, ...qualified(project), ifExists, cascade: cursor.acceptKeywords('cascade') };
  }
  if (cursor.acceptKeywords('external', 'function') || cursor.acceptKeywords('function')) {
    const ifExists = dropping && cursor.acceptKeywords('if', 'exists');
    const { name, project } = parseFunctionName(cursor);
    return dropping ? { kind: 'drop-function', name, ...qualified(project), ifExists } : { kind: 'describe-function', name, ...qualified(project) };
  }
  throw cursor.fail(`expected [API] CONNECTION or [EXTERNAL] FUNCTION after ${verb.value.toUpperCase()}`);
}

function parseShow(cursor: TokenCursor): Parsed {
  if (isPackageGrants(cursor, 'show')) return parsePackageGrantsShow(cursor);
  let kind: 'show-connections' | 'show-functions';
  if (cursor.acceptKeywords('api', 'connections') || cursor.acceptKeywords('connections')) kind = 'show-connections';
  else if (cursor.acceptKeywords('external', 'functions') || cursor.acceptKeywords('functions')) kind = 'show-functions';
  else {
    const governance = parseGovernanceShow(cursor) ?? parsePolicyShow(cursor) ?? parsePackageShow(cursor);
    if (governance !== undefined) return governance;
    throw cursor.fail('expected [API] CONNECTIONS or [EXTERNAL] FUNCTIONS after SHOW (or PROJECTS, USERS, ROLES, GRANTS, TOKENS, PACKAGES, FUNCTION HISTORY, POLICIES, BOUNDARIES or ACTIONS)');
  }
  const project = cursor.acceptKeywords('in', 'project') ? cursor.expectIdentifier('a project name after IN PROJECT').name : null;
  return { kind, ...qualified(project), like: parseLike(cursor) };
}

