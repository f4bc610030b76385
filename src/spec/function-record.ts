import type { SqlType } from './sql-type.ts';

export const WIRE_FORMATS = ['lakefn', 'snowflake', 'bigquery', 'redshift'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

/**
 * What wraps the wire body on its way to the function: 'none' sends it as the event; 'api_gateway' sends the event
 * API Gateway's REST proxy integration would (the body as a string, the engine's headers) and unwraps the function's
 * `{statusCode, body}` answer, so that a function written for an engine's gateway integration runs unchanged.
 */
export const FUNCTION_ENVELOPES = ['api_gateway', 'none'] as const;
export type FunctionEnvelope = (typeof FUNCTION_ENVELOPES)[number];

/** Dispatch options of an EXTERNAL FUNCTION (its WITH PROPERTIES), all resolved to concrete values. */
export interface FunctionProperties {
  /** @default 500 */
  readonly maxBatchRows: number;
  /** Encoded request size bound; further capped by the provider limit minus headroom. @default 1_048_576 */
  readonly maxBatchBytes: number;
  /** @default 'lakefn' */
  readonly format: WireFormat;
  /** 'none' = at most once: a batch is never sent twice. @default 'auto' */
  readonly retry: 'auto' | 'none';
  /** @default 'fail' */
  readonly onRowError: 'fail' | 'null';
  /** 'immutable' allows in-batch dedup of identical argument tuples. @default 'volatile' */
  readonly volatility: 'volatile' | 'immutable';
  /** Per-invocation timeout. @default 30_000 */
  readonly timeoutMs: number;
  /** Upper bound on concurrent invocations of this function. @default 16 */
  readonly maxConcurrency: number;
  /** 'returns_null' = RETURNS NULL ON NULL INPUT: rows with a NULL argument are not sent. @default 'called' */
  readonly nullPolicy: 'called' | 'returns_null';
  /**
   * What the audit log records of calls: one INVOKE_SUMMARY per query (always), and with 'attempt' one INVOKE_ATTEMPT
   * per remote attempt too. @default 'summary'
   */
  readonly auditLevel: 'summary' | 'attempt';
  /**
   * Set only when WITH PROPERTIES names it; absent means the connection's provider decides per format (its
   * definition's `envelopes`, else 'none'), which is why this one property is not resolved when the function is made.
   */
  readonly envelope?: FunctionEnvelope;
}

export const DEFAULT_FUNCTION_PROPERTIES: FunctionProperties = Object.freeze({
  maxBatchRows: 500,
  maxBatchBytes: 1_048_576,
  format: 'lakefn',
  retry: 'auto',
  onRowError: 'fail',
  volatility: 'volatile',
  timeoutMs: 30_000,
  maxConcurrency: 16,
  nullPolicy: 'called',
  auditLevel: 'summary',
});

export interface FunctionArgument {
  readonly name: string;
  readonly type: SqlType;
}

/** An EXTERNAL FUNCTION as stored in the catalog (immutable value). */
export interface FunctionRecord {
  readonly id: string;
  /** Lower-cased unless quoted; `schema.name` when a schema was given. */
  readonly name: string;
  readonly arguments: readonly FunctionArgument[];
  readonly returnType: SqlType;
  /** The connection's immutable id: what the stored function row references (a rename never re-points it). */
  readonly connectionId: string;
  /** The connection's name, read with it (not stored in the function row); for display and messages. */
  readonly connectionName: string;
  /** The deployed cloud function (FC/SCF/Lambda function name). Defaults to the SQL name. */
  readonly cloudFunction: string;
  /** Version / alias / qualifier, when `AS 'name:qualifier'` gave one. */
  readonly qualifier: string | null;
  readonly properties: FunctionProperties;
  readonly comment: string | null;
  readonly createdAt: string;
}
