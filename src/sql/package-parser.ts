import { validateComment } from '../catalog/validate-connection-fields.ts';
import { quoteValue } from '../errors/index.ts';
import { MAX_PACKAGE_LABEL } from '../spec/package-records.ts';
import { parseFunctionName } from './function-parser.ts';
import { parsePrincipal } from './governance-parser.ts';
import { parseLike } from './like-clause.ts';
import type { ProviderPackageReference, StatementBody } from './statement.ts';
import { positionedError, syntaxError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/**
 * The package statements (MaxCompute's sharing across projects). Provider side, in the package's project: CREATE /
 * DROP PACKAGE, ADD / REMOVE FUNCTION, ALLOW / DISALLOW PROJECT … TO INSTALL, SHOW PACKAGES, DESC PACKAGE k. Consumer
 * side, in the installing project: INSTALL / UNINSTALL PACKAGE p.k, GRANT / REVOKE READ ON PACKAGE p.k, DESC PACKAGE p.k.
 */

type Parsed = StatementBody;

/** After CREATE: `PACKAGE [IF NOT EXISTS] k [COMMENT '…']`; undefined when PACKAGE does not follow. */
export function parsePackageCreate(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('package')) return undefined;
  const ifNotExists = cursor.acceptKeywords('if', 'not', 'exists');
  const name = packageName(cursor);
  let comment: string | null = null;
  if (cursor.acceptKeywords('comment')) {
    cursor.acceptSymbol('=');
    const token = cursor.expectString('after COMMENT');
    comment = validateComment(token.value, { line: token.line, column: token.column });
  }
  return { kind: 'create-package', name, ifNotExists, comment };
}

/** After DROP: `PACKAGE [IF EXISTS] k`; undefined when PACKAGE does not follow. */
export function parsePackageDrop(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('package')) return undefined;
  const ifExists = cursor.acceptKeywords('if', 'exists');
  return { kind: 'drop-package', name: packageName(cursor), ifExists };
}

/** After SHOW: `PACKAGES [LIKE '…']`; undefined otherwise. */
export function parsePackageShow(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('packages')) return undefined;
  return { kind: 'show-packages', like: parseLike(cursor) };
}

/** After DESC / DESCRIBE: `PACKAGE k` or `PACKAGE p.k`; undefined when PACKAGE does not follow. */
export function parsePackageDescribe(cursor: TokenCursor): Parsed | undefined {
  if (!cursor.acceptKeywords('package')) return undefined;
  const first = packageName(cursor);
  if (!cursor.acceptSymbol('.')) return { kind: 'describe-package', name: first, project: null };
  return { kind: 'describe-package', name: packageName(cursor), project: first };
}

/** After ADD: `[EXTERNAL] FUNCTION f TO PACKAGE k [WITH PRIVILEGES (EXECUTE)]`. */
export function parseAdd(cursor: TokenCursor): Parsed {
  const fn = packagedFunction(cursor, 'ADD');
  cursor.expectKeyword('to', 'after the function (ADD FUNCTION <function> TO PACKAGE <package>)');
  cursor.expectKeyword('package', 'after TO (ADD FUNCTION <function> TO PACKAGE <package>)');
  const pkg = packageName(cursor);
  if (cursor.acceptKeywords('with', 'privileges') || cursor.acceptKeywords('with', 'privilege')) {
    cursor.expectSymbol('(', 'after WITH PRIVILEGES (WITH PRIVILEGES (EXECUTE))');
    do {
      const token = cursor.peek();
      if (!cursor.acceptKeywords('execute')) {
        if (token.kind === 'word' || token.kind === 'quoted-identifier') {
          throw positionedError('E_INVALID_ARGUMENT', token, `privilege ${cursor.describe(token)} cannot be shared in a package: only EXECUTE can (USAGE, OWNERSHIP and connections stay with the provider)`);
        }
        throw cursor.fail('expected EXECUTE in WITH PRIVILEGES (…)');
      }
    } while (cursor.acceptSymbol(','));
    cursor.expectSymbol(')', 'after the privileges (WITH PRIVILEGES (EXECUTE))');
  }
  return { kind: 'add-package-function', function: fn, package: pkg, privileges: ['EXECUTE'] };
}

/** After REMOVE: `[EXTERNAL] FUNCTION f FROM PACKAGE k`. */
export function parseRemove(cursor: TokenCursor): Parsed {
  const fn = packagedFunction(cursor, 'REMOVE');
  cursor.expectKeyword('from', 'after the function (REMOVE FUNCTION <function> FROM PACKAGE <package>)');
  cursor.expectKeyword('package', 'after FROM (REMOVE FUNCTION <function> FROM PACKAGE <package>)');
  return { kind: 'remove-package-function', function: fn, package: packageName(cursor) };
}

/** After ALLOW (`allowing` true) or DISALLOW: `PROJECT q TO INSTALL PACKAGE k [USING LABEL n]` (the label with ALLOW only). */
export function parseAllow(cursor: TokenCursor, allowing: boolean): Parsed {
  const verb = allowing ? 'ALLOW' : 'DISALLOW';
  const shape = `(${verb} PROJECT <project> TO INSTALL PACKAGE <package>${allowing ? ' [USING LABEL <n>]' : ''})`;
  cursor.expectKeyword('project', `after ${verb} ${shape}`);
  const consumer = cursor.expectIdentifier('a project name').name;
  cursor.expectKeyword('to', `after the project ${shape}`);
  cursor.expectKeyword('install', `after TO ${shape}`);
  cursor.expectKeyword('package', `after INSTALL ${shape}`);
  const pkg = packageName(cursor);
  if (!allowing) return { kind: 'disallow-package-install', consumer, package: pkg };
  const label = cursor.acceptKeywords('using', 'label') ? parseLabel(cursor, 'USING LABEL') : null;
  return { kind: 'allow-package-install', consumer, package: pkg, label };
}

/**
 * After SET: `LABEL n TO [EXTERNAL] FUNCTION [p.]f`. MaxCompute's shape (`SET LABEL n TO TABLE t`) fits lakefn's parser
 * as it is: SET already starts a statement (SET BOUNDARY), and lakefn has no ALTER FUNCTION to hang a property on.
 */
export function parseSetLabel(cursor: TokenCursor): Parsed {
  cursor.expectKeyword('label', 'after SET (SET LABEL <0-9> TO FUNCTION <function>, or SET BOUNDARY …)');
  const label = parseLabel(cursor, 'SET LABEL');
  cursor.expectKeyword('to', 'after the label (SET LABEL <0-9> TO FUNCTION <function>)');
  const first = cursor.peek();
  if (cursor.acceptKeywords('api', 'connection') || cursor.acceptKeywords('connection') || cursor.isKeyword('table') || cursor.isKeyword('package')) {
    throw positionedError('E_INVALID_ARGUMENT', first, `SET LABEL labels functions only (the objects a package shares): SET LABEL ${label} TO FUNCTION <function>, found ${cursor.describe(first)}`);
  }
  if (!(cursor.acceptKeywords('external', 'function') || cursor.acceptKeywords('function'))) throw cursor.fail('expected [EXTERNAL] FUNCTION after TO (SET LABEL <0-9> TO FUNCTION <function>)');
  const { name, project } = parseFunctionName(cursor);
  return { kind: 'set-label', label, name, ...(project === null ? {} : { project }) };
}

/** A sensitivity label: an unsigned integer literal from 0 to 9, positioned at the offending token otherwise. */
function parseLabel(cursor: TokenCursor, clause: string): number {
  const token = cursor.peek();
  // `1.5` lexes as 1 '.' 5: the whole literal is what is wrong
  const fraction = token.kind === 'number' && cursor.isSymbol('.', 1) && cursor.peek(2).kind === 'number' ? cursor.peek(2) : undefined;
  if (token.kind !== 'number' || !/^\d+$/.test(token.value) || Number(token.value) > MAX_PACKAGE_LABEL || fraction !== undefined) {
    const found = fraction === undefined ? cursor.describe(token) : quoteValue(cursor.source.slice(token.start, fraction.end), 40);
    throw positionedError('E_INVALID_ARGUMENT', token, `${clause} takes an integer from 0 to ${MAX_PACKAGE_LABEL} (MaxCompute's sensitivity levels), found ${found}`);
  }
  cursor.next();
  return Number(token.value);
}

/** After INSTALL or UNINSTALL: `PACKAGE p.k`. */
export function parseInstallation(cursor: TokenCursor, installing: boolean): Parsed {
  const verb = installing ? 'INSTALL' : 'UNINSTALL';
  cursor.expectKeyword('package', `after ${verb} (${verb} PACKAGE <provider project>.<package>)`);
  const pkg = providerPackage(cursor, verb);
  return installing ? { kind: 'install-package', package: pkg } : { kind: 'uninstall-package', package: pkg };
}

/** Whether GRANT / REVOKE is about to read `READ ON PACKAGE`. */
export function isPackageReadGrant(cursor: TokenCursor): boolean {
  return cursor.isKeyword('read') && cursor.isKeyword('on', 1) && cursor.isKeyword('package', 2);
}

/** After GRANT or REVOKE, at `READ ON PACKAGE p.k TO|FROM USER|ROLE x`. */
export function parsePackageReadGrant(cursor: TokenCursor, granting: boolean): Parsed {
  cursor.acceptKeywords('read', 'on', 'package');
  const verb = granting ? 'GRANT' : 'REVOKE';
  const pkg = providerPackage(cursor, `${verb} READ ON PACKAGE`);
  const preposition = granting ? 'to' : 'from';
  cursor.expectKeyword(preposition, `after the package (${verb} READ ON PACKAGE <provider project>.<package> ${preposition.toUpperCase()} USER|ROLE <name>)`);
  const grantee = parsePrincipal(cursor);
  return granting ? { kind: 'grant-package-read', package: pkg, grantee } : { kind: 'revoke-package-read', package: pkg, grantee };
}

/** Whether SHOW is about to read `GRANTS ON PACKAGE`, or GRANT `OWNERSHIP ON PACKAGE`. */
export function isPackageGrants(cursor: TokenCursor, verb: 'show' | 'grant'): boolean {
  return cursor.isKeyword(verb === 'show' ? 'grants' : 'ownership') && cursor.isKeyword('on', 1) && cursor.isKeyword('package', 2);
}

/** After SHOW, at `GRANTS ON PACKAGE [p.]k`. */
export function parsePackageGrantsShow(cursor: TokenCursor): Parsed {
  cursor.acceptKeywords('grants', 'on', 'package');
  const first = packageName(cursor);
  if (!cursor.acceptSymbol('.')) return { kind: 'show-package-grants', name: first, project: null };
  return { kind: 'show-package-grants', name: packageName(cursor), project: first };
}

/** After GRANT, at `OWNERSHIP ON PACKAGE k TO USER|ROLE x` (a package of the current project). */
export function parsePackageOwnership(cursor: TokenCursor): Parsed {
  cursor.acceptKeywords('ownership', 'on', 'package');
  const token = cursor.peek();
  const name = packageName(cursor);
  if (cursor.isSymbol('.')) {
    throw positionedError('E_INVALID_NAME', token, `GRANT OWNERSHIP ON PACKAGE names a package of the current project, without a project (USE PROJECT ${name} first)`);
  }
  cursor.expectKeyword('to', 'after the package (GRANT OWNERSHIP ON PACKAGE <package> TO USER|ROLE <name>)');
  return { kind: 'grant-package-ownership', package: name, grantee: parsePrincipal(cursor) };
}

/** `[EXTERNAL] FUNCTION name` (without its project: a package shares functions of its own project); connections are refused. */
function packagedFunction(cursor: TokenCursor, verb: string): string {
  const first = cursor.peek();
  if (cursor.acceptKeywords('api', 'connection') || cursor.acceptKeywords('connection')) {
    throw positionedError(
      'E_INVALID_ARGUMENT',
      first,
      `connections cannot be added to or removed from a package: a package shares functions (EXECUTE only); calls run on the provider's connection under the function owner's USAGE (${verb} FUNCTION <function> …)`,
    );
  }
  if (!(cursor.acceptKeywords('external', 'function') || cursor.acceptKeywords('function'))) throw cursor.fail(`expected [EXTERNAL] FUNCTION after ${verb} (packages hold functions)`);
  const token = cursor.peek();
  const parsed = parseFunctionName(cursor);
  if (parsed.project !== null) {
    throw positionedError('E_INVALID_NAME', token, `name the function without its project (${parsed.name}): a package shares functions of the project it belongs to`);
  }
  return parsed.name;
}

/** `p.k`: the provider project and its package. */
function providerPackage(cursor: TokenCursor, context: string): ProviderPackageReference {
  const project = cursor.expectIdentifier('a provider project name (<provider project>.<package>)');
  if (!cursor.acceptSymbol('.')) {
    throw syntaxError(cursor.peek(), `${context} names a package of another project: write <provider project>.<package>, e.g. ${project.name}.<package> is missing its package (found ${cursor.describe(cursor.peek())})`);
  }
  return { project: project.name, name: packageName(cursor) };
}

/** A package name; a quoted one may not contain '.', so `p.k` always reads as provider project and package. */
function packageName(cursor: TokenCursor): string {
  const token = cursor.peek();
  const { name } = cursor.expectIdentifier('a package name');
  if (name.includes('.')) throw positionedError('E_INVALID_NAME', token, `package name ${cursor.describe(token)} may not contain '.'`);
  return name;
}
