import { validateComment } from '../catalog/validate-connection-fields.ts';
import { LakefnError } from '../errors/index.ts';
import { formatPolicyIssue, MANAGED_POLICY_NAMES, validatePolicyDocument } from '../governance/policy/index.ts';
import { parsePrincipal } from './governance-parser.ts';
import { parseLike } from './like-clause.ts';
import type { BoundaryTarget, StatementBody } from './statement.ts';
import { positionedError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/**
 * The Governance II statements: policies (CREATE, ATTACH, DETACH, SHOW, DESC, DROP), boundaries (SET, UNSET, SHOW),
 * ALTER PROJECT … SET OBJECT_PRIVILEGES and SHOW ACTIONS. A policy document is validated here, so a bad one is refused
 * at its string literal with every problem's JSON path (EXPLAIN AUTHORIZATION of a CREATE POLICY validates it too).
 */

type Parsed = StatementBody;

const MANAGED_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(MANAGED_POLICY_NAMES.map((name) => [name.toLowerCase(), name]));

/**
 * A policy name as written: an identifier (lower-cased unless quoted, like every name), except that the managed
 * policies are found whatever the case (`LakefnFullAccess`, `lakefnfullaccess`), so their names stay reserved.
 */
export function parsePolicyName(cursor: TokenCursor): string {
  const { name } = cursor.expectIdentifier('a policy name');
  return MANAGED_BY_LOWER_CASE.get(name.toLowerCase()) ?? name;
}

/** After CREATE [OR REPLACE]: `POLICY p AS '<json>' [COMMENT [=] '…']`; undefined when POLICY does not follow. */
export function parseCreatePolicy(cursor: TokenCursor, orReplace: boolean): Parsed | undefined {
  if (!cursor.acceptKeywords('policy')) return undefined;
  const nameToken = cursor.peek();
  const name = parsePolicyName(cursor);
  if (MANAGED_BY_LOWER_CASE.has(name.toLowerCase())) {
    throw positionedError('E_INVALID_NAME', nameToken, `'${name}' is a managed policy (built in, read-only); choose another name`);
  }
  cursor.expectKeyword('as', "after the policy name (CREATE POLICY <name> AS '<json document>')");
  const documentToken = cursor.expectString("after AS (the policy document as a JSON string: AS '{\"Version\": \"1\", \"Statement\": […]}')");
  const validation = validatePolicyDocument(documentToken.value);
  if (!validation.ok) {
    const lines = validation.errors.map((issue) => `  ${formatPolicyIssue(issue)}`).join('\n');
    const problems = `${validation.errors.length} problem${validation.errors.length === 1 ? '' : 's'}`;
    throw new LakefnError('E_INVALID_POLICY', `policy '${name}' is invalid (${problems}, in the document at ${documentToken.line}:${documentToken.column}; nothing was created):\n${lines}`, {
      location: { line: documentToken.line, column: documentToken.column },
      data: { policy: name, issues: validation.errors },
    });
  }
  let comment: string | null = null;
  if (cursor.acceptKeywords('comment')) {
    cursor.acceptSymbol('=');
    const token = cursor.expectString('after COMMENT');
    comment = validateComment(token.value, { line: token.line, column: token.column });
  }
  return { kind: 'create-policy', name, orReplace, document: documentToken.value, comment, warnings: validation.warnings.map(formatPolicyIssue) };
}

/** After ATTACH or DETACH: `POLICY p TO|FROM USER|ROLE x`. */
export function parsePolicyAttachment(cursor: TokenCursor, attach: boolean): Parsed {
  const verb = attach ? 'ATTACH' : 'DETACH';
  const preposition = attach ? 'to' : 'from';
  cursor.expectKeyword('policy', `after ${verb} (${verb} POLICY <name> ${preposition.toUpperCase()} USER|ROLE <name>)`);
  const policy = parsePolicyName(cursor);
  cursor.expectKeyword(preposition, `after the policy name (${verb} POLICY <name> ${preposition.toUpperCase()} USER|ROLE <name>)`);
  return { kind: attach ? 'attach-policy' : 'detach-policy', policy, principal: parsePrincipal(cursor) };
}

/** After SHOW: POLICIES, BOUNDARIES or ACTIONS; undefined otherwise. */
export function parsePolicyShow(cursor: TokenCursor): Parsed | undefined {
  if (cursor.acceptKeywords('policies')) return { kind: 'show-policies', like: parseLike(cursor) };
  if (cursor.acceptKeywords('boundaries')) return { kind: 'show-boundaries', like: null };
  if (cursor.acceptKeywords('actions')) return { kind: 'show-actions', like: parseLike(cursor) };
  return undefined;
}

/** After DESC: `POLICY p`; undefined otherwise. */
export function parseDescribePolicy(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('policy')) return undefined;
  return { kind: 'describe-policy', name: parsePolicyName(cursor) };
}

/** After DROP: `POLICY [IF EXISTS] p [CASCADE | RESTRICT]`; undefined otherwise. */
export function parseDropPolicy(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('policy')) return undefined;
  const ifExists = cursor.acceptKeywords('if', 'exists');
  const name = parsePolicyName(cursor);
  const cascade = cursor.acceptKeywords('cascade');
  if (!cascade) cursor.acceptKeywords('restrict');
  return { kind: 'drop-policy', name, ifExists, cascade };
}

/** After SET: `BOUNDARY ON PROJECT p | USER u | ROLE r AS POLICY x`. */
export function parseSetBoundary(cursor: TokenCursor): Parsed {
  cursor.expectKeyword('boundary', 'after SET (SET BOUNDARY ON PROJECT|USER|ROLE <name> AS POLICY <policy>)');
  const target = parseBoundaryTarget(cursor, 'SET');
  cursor.expectKeyword('as', 'after the boundary target (SET BOUNDARY ON PROJECT|USER|ROLE <name> AS POLICY <policy>)');
  cursor.expectKeyword('policy', 'after AS (AS POLICY <policy>)');
  return { kind: 'set-boundary', target, policy: parsePolicyName(cursor) };
}

/** After UNSET: `BOUNDARY ON PROJECT p | USER u | ROLE r`. */
export function parseUnsetBoundary(cursor: TokenCursor): Parsed {
  cursor.expectKeyword('boundary', 'after UNSET (UNSET BOUNDARY ON PROJECT|USER|ROLE <name>)');
  return { kind: 'unset-boundary', target: parseBoundaryTarget(cursor, 'UNSET') };
}

function parseBoundaryTarget(cursor: TokenCursor, verb: string): BoundaryTarget {
  cursor.expectKeyword('on', `after ${verb} BOUNDARY (ON PROJECT|USER|ROLE <name>)`);
  if (cursor.acceptKeywords('project')) return { kind: 'project', name: cursor.expectIdentifier('a project name').name };
  const principal = parsePrincipalOrFail(cursor);
  return principal;
}

function parsePrincipalOrFail(cursor: TokenCursor): BoundaryTarget {
  if (!cursor.isKeyword('user') && !cursor.isKeyword('role')) throw cursor.fail('expected PROJECT <name>, USER <name> or ROLE <name>');
  return parsePrincipal(cursor);
}

/** After ALTER: `PROJECT p SET OBJECT_PRIVILEGES [=] ON|OFF`; undefined when PROJECT does not follow. */
export function parseAlterProject(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('project')) return undefined;
  const { name } = cursor.expectIdentifier('a project name');
  cursor.expectKeyword('set', 'after the project name (ALTER PROJECT <name> SET OBJECT_PRIVILEGES = ON|OFF)');
  cursor.expectKeyword('object_privileges', 'after SET (the only project setting is OBJECT_PRIVILEGES = ON|OFF)');
  cursor.acceptSymbol('=');
  if (cursor.acceptKeywords('on') || cursor.acceptKeywords('true')) return { kind: 'alter-project', name, objectPrivileges: true };
  if (cursor.acceptKeywords('off') || cursor.acceptKeywords('false')) return { kind: 'alter-project', name, objectPrivileges: false };
  throw cursor.fail('expected ON or OFF after OBJECT_PRIVILEGES =');
}
