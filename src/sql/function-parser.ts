import { splitCloudFunctionReference } from '../catalog/cloud-function-name.ts';
import { validateComment } from '../catalog/validate-connection-fields.ts';
import { LakefnError } from '../errors/index.ts';
import type { FunctionArgument, FunctionProperties } from '../spec/function-record.ts';
import type { SqlType } from '../spec/sql-type.ts';
import { resolveFunctionProperties } from './function-properties.ts';
import type { Token } from './lexer.ts';
import type { PropertyEntry } from './property-list.ts';
import { readPropertyList } from './property-list.ts';
import type { CreateFunctionStatement } from './statement.ts';
import { positionedError, syntaxError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';
import { parseSqlType } from './type-parser.ts';

type Parsed<T> = Omit<T, 'position' | 'text'>;

/** A function name: `name`, `schema.name` or `project.schema.name`, each part an identifier. */
export interface FunctionName {
  /** `name` or `schema.name` (a two-part name is resolved against the projects later: see ProjectQualified). */
  readonly name: string;
  /** The last part (the cloud function's default name). */
  readonly baseName: string;
  /** The first of three parts; null for one or two. */
  readonly project: string | null;
}

/** Reads `[project.][schema.]name`; a quoted part may not contain `.`, so the stored `schema.name` stays unambiguous. */
export function parseFunctionName(cursor: TokenCursor): FunctionName {
  const parts: string[] = [];
  do {
    const token = cursor.peek();
    const { name } = cursor.expectIdentifier(parts.length === 0 ? 'a function name' : 'a function name after the schema or project');
    if (name.includes('.')) throw positionedError('E_INVALID_NAME', token, `function name part ${cursor.describe(token)} may not contain '.'`);
    parts.push(name);
  } while (parts.length < 3 && cursor.acceptSymbol('.'));
  const project = parts.length === 3 ? (parts[0] ?? null) : null;
  const local = parts.length === 3 ? parts.slice(1) : parts;
  return { name: local.join('.'), baseName: parts[parts.length - 1] ?? '', project };
}

/** A connection name: `name` or `project.name`. */
export function parseConnectionName(cursor: TokenCursor, what = 'a connection name'): { readonly name: string; readonly project: string | null } {
  const first = cursor.expectIdentifier(what).name;
  if (!cursor.acceptSymbol('.')) return { name: first, project: null };
  return { name: cursor.expectIdentifier(`${what} after the project`).name, project: first };
}

interface Clauses {
  nullPolicy: { value: FunctionProperties['nullPolicy']; token: Token } | null;
  connection: { readonly name: string; readonly project: string | null } | null;
  reference: { text: string; token: Token } | null;
  properties: PropertyEntry[] | null;
  comment: string | null;
}

/** After `CREATE [OR REPLACE] EXTERNAL FUNCTION`: the rest of the statement; clauses after RETURNS may come in any order. */
export function parseCreateFunction(cursor: TokenCursor, orReplace: boolean): Parsed<CreateFunctionStatement> {
  const ifNotExistsToken = cursor.peek();
  const ifNotExists = cursor.acceptKeywords('if', 'not', 'exists');
  if (ifNotExists && orReplace) throw syntaxError(ifNotExistsToken, 'OR REPLACE and IF NOT EXISTS cannot be combined');
  const { name, baseName, project } = parseFunctionName(cursor);
  const functionArguments = parseArguments(cursor);
  cursor.expectKeyword('returns', 'after the argument list');
  const returnType: SqlType = parseSqlType(cursor);
  const clauses: Clauses = { nullPolicy: null, connection: null, reference: null, properties: null, comment: null };
  for (;;) {
    const token = cursor.peek();
    if (token.kind === 'end' || cursor.isSymbol(';')) break;
    parseClause(cursor, clauses, token);
  }
  if (clauses.connection === null) throw cursor.fail('expected CONNECTION <connection name> (every external function is bound to an API connection)');
  const reference = clauses.reference === null
    ? { cloudFunction: baseName, qualifier: null }
    : splitCloudFunctionReference(clauses.reference.text, { line: clauses.reference.token.line, column: clauses.reference.token.column });
  return {
    kind: 'create-function',
    name,
    ...(project === null ? {} : { project }),
    orReplace,
    ifNotExists,
    arguments: functionArguments,
    returnType,
    connectionName: clauses.connection.name,
    ...(clauses.connection.project === null ? {} : { connectionProject: clauses.connection.project }),
    cloudFunction: reference.cloudFunction,
    qualifier: reference.qualifier,
    properties: resolveFunctionProperties(clauses.properties ?? [], clauses.nullPolicy?.value ?? null),
    comment: clauses.comment,
  };
}

function parseArguments(cursor: TokenCursor): FunctionArgument[] {
  cursor.expectSymbol('(', 'after the function name');
  const result: FunctionArgument[] = [];
  if (cursor.acceptSymbol(')')) return result;
  const seen = new Set<string>();
  do {
    const { name, token } = cursor.expectIdentifier('an argument name');
    if (seen.has(name)) throw positionedError('E_INVALID_ARGUMENT', token, `argument ${cursor.describe(token)} appears twice`);
    seen.add(name);
    result.push({ name, type: parseSqlType(cursor) });
  } while (cursor.acceptSymbol(','));
  cursor.expectSymbol(')', 'after the arguments');
  return result;
}

function parseClause(cursor: TokenCursor, clauses: Clauses, token: Token): void {
  const once = (present: boolean, clause: string): void => {
    if (present) throw syntaxError(token, `${clause} is given twice`);
  };
  if (cursor.acceptKeywords('returns', 'null', 'on', 'null', 'input')) {
    once(clauses.nullPolicy !== null, 'the null-input clause');
    clauses.nullPolicy = { value: 'returns_null', token };
  } else if (cursor.acceptKeywords('called', 'on', 'null', 'input')) {
    once(clauses.nullPolicy !== null, 'the null-input clause');
    clauses.nullPolicy = { value: 'called', token };
  } else if (cursor.acceptKeywords('connection')) {
    once(clauses.connection !== null, 'CONNECTION');
    clauses.connection = parseConnectionName(cursor, 'a connection name after CONNECTION');
  } else if (cursor.acceptKeywords('as')) {
    once(clauses.reference !== null, 'AS');
    const reference = cursor.expectString("after AS (the cloud function, 'name[:qualifier]')");
    clauses.reference = { text: reference.value, token: reference };
  } else if (cursor.acceptKeywords('using')) {
    const kind = cursor.peek();
    if (!cursor.acceptKeywords('archive') && !cursor.acceptKeywords('file') && !cursor.acceptKeywords('jar')) throw cursor.fail('expected ARCHIVE after USING');
    cursor.expectString(`after USING ${kind.value.toUpperCase()}`);
    throw new LakefnError('E_NOT_SUPPORTED', `USING ${kind.value.toUpperCase()} at ${token.line}:${token.column} is not yet supported: lakefn does not deploy code packages; deploy the function with the provider's tools and name it with AS 'function[:qualifier]'`, { location: { line: token.line, column: token.column } });
  } else if (cursor.acceptKeywords('with')) {
    once(clauses.properties !== null, 'WITH PROPERTIES');
    cursor.expectKeyword('properties', 'after WITH');
    clauses.properties = readPropertyList(cursor);
  } else if (cursor.acceptKeywords('comment')) {
    once(clauses.comment !== null, 'COMMENT');
    cursor.acceptSymbol('=');
    const comment = cursor.expectString('after COMMENT');
    clauses.comment = validateComment(comment.value, { line: comment.line, column: comment.column });
  } else {
    throw cursor.fail('expected RETURNS NULL ON NULL INPUT, CALLED ON NULL INPUT, CONNECTION, AS, WITH PROPERTIES, COMMENT or the end of the statement');
  }
}
