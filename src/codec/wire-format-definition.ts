import { LakefnError } from '../errors/index.ts';
import type { WireFormat } from '../spec/function-record.ts';
import type { BatchContext } from './wire-codec.ts';
import { isPlainObject } from './value-encoders.ts';
import { quoteShort } from './value-mismatch.ts';

/** Wire results of one reply in batch order (not yet converted to the return type), plus per-row errors. */
export interface ExtractedResults {
  readonly values: readonly unknown[];
  readonly rowErrors: ReadonlyMap<number, string>;
}

/** The envelope text around the rows of one batch. */
export interface BatchEnvelope {
  readonly head: string;
  readonly tail: string;
}

/** What differs between wire formats; the codec does the values, sizes and bytes around it. */
export interface WireFormatDefinition {
  readonly format: WireFormat;
  /** Used in reply error messages, including the codec's own (not JSON, not UTF-8). */
  readonly description: ReplyDescription;
  envelope(context: BatchContext, rowCount: number): BatchEnvelope;
  /** JSON text of row `index` of the batch around its comma-separated argument texts. */
  rowText(index: number, argumentsText: string): string;
  /** Bytes a row adds besides its argument texts, the separating comma included; exact or an upper bound. */
  readonly rowOverheadBytes: number;
  /** Validates the reply envelope; row count, row numbers and row-error indices are checked here. */
  extractResults(reply: unknown, sentRowCount: number): ExtractedResults;
}

/** Facts every format's reply checks put into their messages. */
export interface ReplyDescription {
  readonly functionName: string;
  readonly format: WireFormat;
  /** The reply shape the function must send, for the "what to do" part of messages. */
  readonly expectedShape: string;
}

/** Longest remote error message kept in an error's data (the message itself shows less). */
const REMOTE_MESSAGE_LIMIT = 4000;

export function quoteJson(text: string): string {
  return JSON.stringify(text);
}

/** `a string`, `an array of 3`, … for messages about the reply's shape. */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return isPlainObject(value) ? 'an object' : 'a number';
  return typeof value === 'string' ? `a string (${quoteShort(value, 40)})` : `a ${typeof value}`;
}

export function badResponse(description: ReplyDescription, problem: string): LakefnError {
  return new LakefnError(
    'E_BAD_RESPONSE',
    `function ${description.functionName} sent a malformed ${description.format} reply: ${problem}. The function must reply with ${description.expectedShape}.`,
  );
}

export function rowCountMismatch(description: ReplyDescription, sentRowCount: number, receivedCount: number, where: string): LakefnError {
  return new LakefnError(
    'E_ROW_COUNT_MISMATCH',
    `function ${description.functionName} answered ${receivedCount} rows in ${where} for a batch of ${sentRowCount}: expected ${sentRowCount} rows, got ${receivedCount}. Every row needs exactly one result.`,
  );
}

export function badRowIndex(description: ReplyDescription, problem: string): LakefnError {
  return new LakefnError('E_BAD_ROW_INDEX', `function ${description.functionName} sent a ${description.format} reply with ${problem}.`);
}

export function remoteFunctionError(description: ReplyDescription, field: string, message: string): LakefnError {
  return new LakefnError(
    'E_REMOTE_FUNCTION_ERROR',
    `function ${description.functionName} reported an error (${description.format} ${field}): ${quoteShort(message, 500)}. See the function's logs.`,
    { data: { remoteMessage: message.slice(0, REMOTE_MESSAGE_LIMIT) } },
  );
}

export function requireReplyObject(reply: unknown, description: ReplyDescription): Record<string, unknown> {
  if (!isPlainObject(reply)) throw badResponse(description, `the reply is ${describeJsonKind(reply)}, not an object`);
  return reply;
}

/** `reply[field]` as an array of exactly `sentRowCount` values. */
export function requireResultArray(reply: Record<string, unknown>, field: string, sentRowCount: number, description: ReplyDescription): unknown[] {
  const values = reply[field];
  if (!Array.isArray(values)) {
    throw badResponse(description, `"${field}" is ${describeJsonKind(values)}, not an array`);
  }
  if (values.length !== sentRowCount) throw rowCountMismatch(description, sentRowCount, values.length, `"${field}"`);
  return values;
}

export const NO_ROW_ERRORS: ReadonlyMap<number, string> = new Map();
