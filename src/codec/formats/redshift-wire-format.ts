import type { FunctionRecord } from '../../spec/function-record.ts';
import {
  badResponse,
  describeJsonKind,
  NO_ROW_ERRORS,
  quoteJson,
  remoteFunctionError,
  type ReplyDescription,
  requireReplyObject,
  requireResultArray,
  rowCountMismatch,
  type WireFormatDefinition,
} from '../wire-format-definition.ts';

/**
 * Amazon Redshift Lambda UDFs: `{"request_id","cluster","user","database","external_function","query_id",
 * "num_records","arguments":[[…]]}` ⇄ `{"success":true,"num_records":n,"results":[…]}` (positional) or
 * `{"success":false,"error_msg":"…"}`, which fails the batch with E_REMOTE_FUNCTION_ERROR.
 */
export function createRedshiftWireFormat(fn: FunctionRecord): WireFormatDefinition {
  const description: ReplyDescription = {
    functionName: fn.name,
    format: 'redshift',
    expectedShape: '{"success": true, "num_records": n, "results": [one value per row]} or {"success": false, "error_msg": "…"}',
  };
  const functionText = quoteJson(fn.name);
  return {
    format: 'redshift',
    description,
    envelope(context, rowCount) {
      return {
        head: `{"request_id":${quoteJson(context.batchId)},"cluster":"lakefn","user":${quoteJson(context.user)},"database":"lakefn","external_function":${functionText},"query_id":${quoteJson(context.queryId)},"num_records":${rowCount},"arguments":[`,
        tail: ']}',
      };
    },
    rowText: (_index, argumentsText) => `[${argumentsText}]`,
    rowOverheadBytes: 3,
    extractResults(reply, sentRowCount) {
      const object = requireReplyObject(reply, description);
      const success = object['success'];
      if (success === false) {
        const message = object['error_msg'];
        throw remoteFunctionError(description, 'error_msg', typeof message === 'string' ? message : `(no error_msg; got ${describeJsonKind(message)})`);
      }
      if (success !== true) throw badResponse(description, `"success" is ${describeJsonKind(success)}, not true or false`);
      const values = requireResultArray(object, 'results', sentRowCount, description);
      const declaredCount = object['num_records'];
      if (declaredCount !== undefined && declaredCount !== null && declaredCount !== sentRowCount) {
        if (typeof declaredCount !== 'number') throw badResponse(description, `"num_records" is ${describeJsonKind(declaredCount)}, not a number`);
        throw rowCountMismatch(description, sentRowCount, declaredCount, '"num_records"');
      }
      return { values, rowErrors: NO_ROW_ERRORS };
    },
  };
}
