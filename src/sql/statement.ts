import type { ConnectionFields } from '../spec/connection-record.ts';
import type { FunctionArgument, FunctionProperties } from '../spec/function-record.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import type { SqlType } from '../spec/sql-type.ts';

/** 1-based position of a statement's first token (or of an offending token in errors). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** What every statement carries: where it starts and its source text (without the trailing `;`). */
interface StatementBase {
  readonly position: SourcePosition;
  readonly text: string;
}

/**
 * `CREATE [OR REPLACE] API CONNECTION [IF NOT EXISTS] name TYPE CLOUD_FUNCTION … [CASCADE]`.
 * `fields` are already validated (provider, region, role ARN, partition, namespace, bucket, comment),
 * with `namespace` defaulted to `default` on clouds without function namespaces. The external ID is never part of a statement.
 */
export interface CreateConnectionStatement extends StatementBase {
  readonly kind: 'create-connection';
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /**
   * OR REPLACE only: drop the functions the replacement does not fit (a provider change: all that use it) instead
   * of refusing the statement.
   */
  readonly cascade: boolean;
  readonly fields: ConnectionFields;
}

export interface DescribeConnectionStatement extends StatementBase {
  readonly kind: 'describe-connection';
  readonly name: string;
}

export interface ShowConnectionsStatement extends StatementBase {
  readonly kind: 'show-connections';
  /** SQL LIKE pattern (`%`, `_`, no escape character), or null for all. */
  readonly like: string | null;
}

/**
 * The fields an `ALTER … SET` names. Each value passed the provider-independent checks (provider name,
 * control characters, whitespace, length); the executor merges them into the stored record and
 * re-validates the result with `validateConnectionFields` (region vs provider, ARN partition, …).
 * `null` (written `NULL`) clears CODE_BUCKET or COMMENT.
 */
export interface ConnectionFieldChanges {
  readonly provider?: ProviderName;
  readonly region?: string;
  readonly roleArn?: string;
  readonly namespace?: string;
  readonly codeBucket?: string | null;
  readonly comment?: string | null;
}

export interface AlterConnectionSetStatement extends StatementBase {
  readonly kind: 'alter-connection-set';
  readonly name: string;
  readonly changes: ConnectionFieldChanges;
}

export interface RotateExternalIdStatement extends StatementBase {
  readonly kind: 'rotate-external-id';
  readonly name: string;
}

export interface ValidateConnectionStatement extends StatementBase {
  readonly kind: 'validate-connection';
  readonly name: string;
}

export interface DropConnectionStatement extends StatementBase {
  readonly kind: 'drop-connection';
  readonly name: string;
  readonly ifExists: boolean;
  readonly cascade: boolean;
}

/**
 * `CREATE [OR REPLACE] EXTERNAL FUNCTION [IF NOT EXISTS] [schema.]name(…) RETURNS type … CONNECTION c …`.
 * `properties` are complete (defaults filled in, ranges checked; `nullPolicy` from the
 * RETURNS NULL ON NULL INPUT / CALLED ON NULL INPUT clause or the `null_policy` property).
 * `cloudFunction` / `qualifier` are syntactically split but NOT yet checked against the provider's naming
 * rules: the provider is the connection's, so the executor calls `validateCloudFunctionName` at CREATE time.
 */
export interface CreateFunctionStatement extends StatementBase {
  readonly kind: 'create-function';
  /** Lower-cased unless quoted; `schema.name` when a schema was given. */
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly arguments: readonly FunctionArgument[];
  readonly returnType: SqlType;
  readonly connectionName: string;
  /** From `AS 'fn[:qualifier]'`; defaults to the SQL name without its schema. */
  readonly cloudFunction: string;
  readonly qualifier: string | null;
  readonly properties: FunctionProperties;
  readonly comment: string | null;
}

export interface DescribeFunctionStatement extends StatementBase {
  readonly kind: 'describe-function';
  readonly name: string;
}

export interface ShowFunctionsStatement extends StatementBase {
  readonly kind: 'show-functions';
  readonly like: string | null;
}

export interface DropFunctionStatement extends StatementBase {
  readonly kind: 'drop-function';
  readonly name: string;
  readonly ifExists: boolean;
}

/** Every statement the DDL parser produces. */
export type Statement =
  | CreateConnectionStatement
  | DescribeConnectionStatement
  | ShowConnectionsStatement
  | AlterConnectionSetStatement
  | RotateExternalIdStatement
  | ValidateConnectionStatement
  | DropConnectionStatement
  | CreateFunctionStatement
  | DescribeFunctionStatement
  | ShowFunctionsStatement
  | DropFunctionStatement;

export type StatementKind = Statement['kind'];

/** A statement without its source position and text (what the per-statement parsers build). */
export type StatementBody<K extends StatementKind = StatementKind> = { [Kind in K]: Omit<Extract<Statement, { kind: Kind }>, 'position' | 'text'> }[K];

export interface ParseOptions {
  /** Accept a syntactically valid region missing from the known-region list (`--allow-unknown-region`). @default false */
  readonly allowUnknownRegion?: boolean;
}

export { parseStatements } from './parse-statements.ts';
