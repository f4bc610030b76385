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
  type WireFormatDefinition,
} from '../wire-format-definition.ts';

/**
 * BigQuery remote functions: `{"requestId","caller","sessionUser","userDefinedContext":{},"calls":[[…]]}` ⇄
 * `{"replies":[…]}` (positional) or `{"errorMessage":"…"}`, which fails the batch with E_REMOTE_FUNCTION_ERROR.
 */
export function createBigqueryWireFormat(fn: FunctionRecord): WireFormatDefinition {
  const description: ReplyDescription = {
    functionName: fn.name,
    format: 'bigquery',
    expectedShape: '{"replies": [one value per call]} or {"errorMessage": "…"}',
  };
  const callerText = quoteJson(`//lakefn/functions/${fn.name}`);
  return {
    format: 'bigquery',
    description,
    envelope(context) {
      return {
        head: `{"requestId":${quoteJson(context.batchId)},"caller":${callerText},"sessionUser":${quoteJson(context.user)},"userDefinedContext":{},"calls":[`,
        tail: ']}',
      };
    },
    rowText: (_index, argumentsText) => `[${argumentsText}]`,
    rowOverheadBytes: 3,
    extractResults(reply, sentRowCount) {
      const object = requireReplyObject(reply, description);
      const errorMessage = object['errorMessage'];
      if (errorMessage !== undefined && errorMessage !== null) {
        if (typeof errorMessage !== 'string') throw badResponse(description, `"errorMessage" is ${describeJsonKind(errorMessage)}, not a string`);
        throw remoteFunctionError(description, 'errorMessage', errorMessage);
      }
      return { values: requireResultArray(object, 'replies', sentRowCount, description), rowErrors: NO_ROW_ERRORS };
    },
  };
}
