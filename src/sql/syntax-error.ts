import { LakefnError } from '../errors/index.ts';
import type { ErrorCode } from '../errors/index.ts';
import type { SourcePosition } from './statement.ts';

/** `E_SYNTAX: syntax error at 1:42: expected '=' after REGION`, located at the offending token. */
export function syntaxError(position: SourcePosition, message: string): LakefnError {
  return new LakefnError('E_SYNTAX', `syntax error at ${position.line}:${position.column}: ${message}`, { location: { line: position.line, column: position.column } });
}

/** A non-syntax DDL error at a position: `E_INVALID_PROPERTY: … at 2:5`. */
export function positionedError(code: ErrorCode, position: SourcePosition, message: string): LakefnError {
  return new LakefnError(code, `${message} at ${position.line}:${position.column}`, { location: { line: position.line, column: position.column } });
}
