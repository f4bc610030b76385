import { LakefnError } from '../errors/index.ts';
import type { ParseOptions, Statement } from './statement.ts';

/** Parses `;`-separated DDL into validated statements; throws a positioned LakefnError on the first problem. */
export function parseStatements(text: string, options: ParseOptions = {}): Statement[] {
  void options;
  throw new LakefnError('E_INTERNAL', `parser not yet implemented (${text.length} chars)`);
}
