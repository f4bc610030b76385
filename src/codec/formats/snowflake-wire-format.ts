import type { FunctionRecord } from '../../spec/function-record.ts';
import { describeValue } from '../value-mismatch.ts';
import {
  badResponse,
  badRowIndex,
  NO_ROW_ERRORS,
  type ReplyDescription,
  requireReplyObject,
  requireResultArray,
  type WireFormatDefinition,
} from '../wire-format-definition.ts';

/**
 * Snowflake external functions: `{"data":[[0, a1, a2…],[1, …]]}` ⇄ `{"data":[[0, v],[1, v]…]}`. Column 0 is the
 * row number within the batch; replies may come in any order and are re-associated by it, never by position.
 */
export function createSnowflakeWireFormat(fn: FunctionRecord): WireFormatDefinition {
  const description: ReplyDescription = {
    functionName: fn.name,
    format: 'snowflake',
    expectedShape: '{"data": [[row number, value], …]} with every row number of the request exactly once',
  };
  const hasArguments = fn.arguments.length > 0;
  // Row numbers of a batch of at most maxBatchRows rows have at most this many digits.
  const rowNumberDigits = String(Math.max(fn.properties.maxBatchRows - 1, 0)).length;
  return {
    format: 'snowflake',
    description,
    envelope: () => ({ head: '{"data":[', tail: ']}' }),
    rowText: (index, argumentsText) => (hasArguments ? `[${index},${argumentsText}]` : `[${index}]`),
    rowOverheadBytes: 3 + rowNumberDigits + (hasArguments ? 1 : 0),
    extractResults(reply, sentRowCount) {
      const data = requireResultArray(requireReplyObject(reply, description), 'data', sentRowCount, description);
      const values = new Array<unknown>(sentRowCount);
      // Position in "data" (plus one) that answered each row; 0 while unanswered.
      const answeredAt = new Uint32Array(sentRowCount);
      let duplicate: { row: number; first: number; second: number } | undefined;
      for (let position = 0; position < data.length; position++) {
        const entry: unknown = data[position];
        if (!Array.isArray(entry) || entry.length !== 2) throw badResponse(description, `data[${position}] is not [row number, value]`);
        const row: unknown = entry[0];
        if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row >= sentRowCount) {
          throw badRowIndex(description, `row number ${describeValue(row)} at data[${position}], which is not a row of this batch (0..${sentRowCount - 1})`);
        }
        const earlier = answeredAt[row] ?? 0;
        if (earlier !== 0) {
          duplicate ??= { row, first: earlier - 1, second: position };
          continue;
        }
        answeredAt[row] = position + 1;
        values[row] = entry[1];
      }
      if (duplicate !== undefined) {
        // "data" has exactly sentRowCount entries, so a row answered twice means another is not answered at all.
        const missing = answeredAt.indexOf(0);
        throw badRowIndex(description, `row number ${duplicate.row} twice (data[${duplicate.first}] and data[${duplicate.second}]) and no answer for row ${missing}`);
      }
      return { values, rowErrors: NO_ROW_ERRORS };
    },
  };
}
