import { LakefnError } from '../errors/index.ts';
import { quoteFunctionName, quoteIdentifier, quoteString } from './quote-sql.ts';
import type { ConnectionFieldChanges, Statement } from './statement.ts';

/**
 * The SQL text of a statement the CLI built from flags (`lakefn connection create …`, `lakefn function list`), so that
 * `--server` sends the server exactly the statement the local CLI would run: the server parses it back to the same
 * statement (names and literals quoted by the lexer's rules, see quote-sql.ts).
 */
export function statementSqlText(statement: Statement): string {
  switch (statement.kind) {
    case 'create-connection': {
      const { fields } = statement;
      const properties = [
        `PROVIDER = ${quoteString(fields.provider)}`,
        `REGION = ${quoteString(fields.region)}`,
        `ROLE_ARN = ${quoteString(fields.roleArn)}`,
        `NAMESPACE = ${quoteString(fields.namespace)}`,
        ...(fields.codeBucket === null ? [] : [`CODE_BUCKET = ${quoteString(fields.codeBucket)}`]),
      ];
      const head = `CREATE ${statement.orReplace ? 'OR REPLACE ' : ''}API CONNECTION ${statement.ifNotExists ? 'IF NOT EXISTS ' : ''}${connectionName(statement)}`;
      const comment = fields.comment === null ? '' : ` COMMENT ${quoteString(fields.comment)}`;
      return `${head} TYPE CLOUD_FUNCTION ${properties.join(' ')}${comment}${statement.cascade ? ' CASCADE' : ''}`;
    }
    case 'show-connections':
    case 'show-functions': {
      const what = statement.kind === 'show-connections' ? 'API CONNECTIONS' : 'EXTERNAL FUNCTIONS';
      const project = statement.project === undefined || statement.project === null ? '' : ` IN PROJECT ${quoteIdentifier(statement.project)}`;
      return `SHOW ${what}${project}${statement.like === null ? '' : ` LIKE ${quoteString(statement.like)}`}`;
    }
    case 'describe-connection':
      return `DESC API CONNECTION ${connectionName(statement)}`;
    case 'alter-connection-set':
      return `ALTER API CONNECTION ${connectionName(statement)} SET ${changesText(statement.changes)}`;
    case 'rotate-external-id':
      return `ALTER API CONNECTION ${connectionName(statement)} ROTATE EXTERNAL_ID`;
    case 'validate-connection':
      return `VALIDATE API CONNECTION ${connectionName(statement)}`;
    case 'drop-connection':
      return `DROP API CONNECTION ${statement.ifExists ? 'IF EXISTS ' : ''}${connectionName(statement)}${statement.cascade ? ' CASCADE' : ''}`;
    case 'describe-function':
      return `DESC FUNCTION ${functionName(statement)}`;
    case 'drop-function':
      return `DROP FUNCTION ${statement.ifExists ? 'IF EXISTS ' : ''}${functionName(statement)}`;
    default:
      // the SQL path sends its own text; only statements built from flags come here
      throw new LakefnError('E_INTERNAL', `no SQL text for a ${statement.kind} statement built by the CLI`);
  }
}

function connectionName(statement: { readonly name: string; readonly project?: string | null }): string {
  return statement.project === undefined || statement.project === null ? quoteIdentifier(statement.name) : `${quoteIdentifier(statement.project)}.${quoteIdentifier(statement.name)}`;
}

function functionName(statement: { readonly name: string; readonly project?: string | null }): string {
  return statement.project === undefined || statement.project === null ? quoteFunctionName(statement.name) : `${quoteIdentifier(statement.project)}.${quoteFunctionName(statement.name)}`;
}

function changesText(changes: ConnectionFieldChanges): string {
  const value = (text: string | null): string => (text === null ? 'NULL' : quoteString(text));
  return [
    changes.provider === undefined ? undefined : `PROVIDER = ${value(changes.provider)}`,
    changes.region === undefined ? undefined : `REGION = ${value(changes.region)}`,
    changes.roleArn === undefined ? undefined : `ROLE_ARN = ${value(changes.roleArn)}`,
    changes.namespace === undefined ? undefined : `NAMESPACE = ${value(changes.namespace)}`,
    changes.codeBucket === undefined ? undefined : `CODE_BUCKET = ${value(changes.codeBucket)}`,
    changes.comment === undefined ? undefined : `COMMENT = ${value(changes.comment)}`,
  ].filter((part) => part !== undefined).join(', ');
}
