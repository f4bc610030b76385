import type { FunctionRecord } from '../../spec/function-record.ts';
import { formatSqlType } from '../../spec/sql-type.ts';
import { isPlainObject } from '../value-encoders.ts';
import { describeValue } from '../value-mismatch.ts';
import {
  badResponse,
  badRowIndex,
  describeJsonKind,
  NO_ROW_ERRORS,
  quoteJson,
  type ReplyDescription,
  requireReplyObject,
  requireResultArray,
  type WireFormatDefinition,
} from '../wire-format-definition.ts';

/**
 * lakefn v1: `{"lakefn":1,"batch_id","function","query_id","user","arg_types","return_type","rows":[[…]]}` ⇄
 * `{"results":[…]}`, optionally with `"errors":[{"row":i,"message":"…"}]` for per-row failures.
 */
export function createLakefnWireFormat(fn: FunctionRecord): WireFormatDefinition {
  const description: ReplyDescription = {
    functionName: fn.name,
    format: 'lakefn',
    expectedShape: '{"results": [one value per row], "errors": [{"row": i, "message": "…"}] (optional)}',
  };
  const typesText = `"arg_types":${JSON.stringify(fn.arguments.map((argument) => formatSqlType(argument.type)))},"return_type":${quoteJson(formatSqlType(fn.returnType))}`;
  const functionText = quoteJson(fn.name);
  return {
    format: 'lakefn',
    description,
    envelope(context) {
      return {
        head: `{"lakefn":1,"batch_id":${quoteJson(context.batchId)},"function":${functionText},"query_id":${quoteJson(context.queryId)},"user":${quoteJson(context.user)},${typesText},"rows":[`,
        tail: ']}',
      };
    },
    rowText: (_index, argumentsText) => `[${argumentsText}]`,
    rowOverheadBytes: 3,
    extractResults(reply, sentRowCount) {
      const object = requireReplyObject(reply, description);
      const values = requireResultArray(object, 'results', sentRowCount, description);
      const errors = object['errors'];
      if (errors === undefined || errors === null) return { values, rowErrors: NO_ROW_ERRORS };
      if (!Array.isArray(errors)) throw badResponse(description, `"errors" is ${describeJsonKind(errors)}, not an array`);
      const rowErrors = new Map<number, string>();
      errors.forEach((entry: unknown, position) => {
        if (!isPlainObject(entry) || typeof entry['message'] !== 'string') {
          throw badResponse(description, `errors[${position}] is not {"row": i, "message": "…"}`);
        }
        const row = entry['row'];
        if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row >= sentRowCount) {
          throw badRowIndex(description, `errors[${position}].row = ${describeValue(row)}, which is not a row of this batch (0..${sentRowCount - 1})`);
        }
        if (rowErrors.has(row)) throw badRowIndex(description, `two errors for row ${row}`);
        rowErrors.set(row, entry['message']);
      });
      return { values, rowErrors };
    },
  };
}
