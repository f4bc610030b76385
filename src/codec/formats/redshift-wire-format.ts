import { createHash } from 'node:crypto';
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
 * The cluster lakefn names itself as: Redshift sends its cluster's ARN (`arn:aws:redshift:<region>:<account>:cluster:
 * <name>`); lakefn is no cluster of an account, so the region and account are empty, as in IAM ARNs.
 */
const CLUSTER_ARN = 'arn:aws:redshift:::cluster:lakefn';
const SAFE_INTEGER_TEXT = /^\d{1,15}$/;

/**
 * Redshift sends `query_id` as a number (its query's integer id). lakefn's query id when it is one, else a stable
 * 48-bit number derived from it, so that every batch of a query carries the same id.
 */
export function redshiftQueryId(queryId: string): number {
  if (SAFE_INTEGER_TEXT.test(queryId)) return Number(queryId);
  return createHash('sha256').update(queryId).digest().readUIntBE(0, 6);
}

/**
 * Amazon Redshift Lambda UDFs: `{"request_id","cluster","user","database","external_function","query_id",
 * "num_records","arguments":[[…]]}` ⇄ `{"success":true,"num_records":n,"results":[…]}` (positional) or
 * `{"success":false,"error_msg":"…"}`, which fails the batch with E_REMOTE_FUNCTION_ERROR. As Redshift sends it
 * ("Scalar Lambda UDFs", the JSON request): `query_id` a number, `cluster` an ARN.
 */
export function createRedshiftWireFormat(fn: FunctionRecord): WireFormatDefinition {
  const description: ReplyDescription = {
    functionName: fn.name,
    format: 'redshift',
    expectedShape: '{"success": true, "num_records": n, "results": [one value per row]} or {"success": false, "error_msg": "…"}',
  };
  const functionText = quoteJson(fn.name);
  const clusterText = quoteJson(CLUSTER_ARN);
  // every batch of a query has the same id: derive its number once per query
  let lastQuery = { id: '', number: 0 };
  return {
    format: 'redshift',
    description,
    envelope(context, rowCount) {
      if (context.queryId !== lastQuery.id || lastQuery.id === '') lastQuery = { id: context.queryId, number: redshiftQueryId(context.queryId) };
      return {
        head: `{"request_id":${quoteJson(context.batchId)},"cluster":${clusterText},"user":${quoteJson(context.user)},"database":"lakefn","external_function":${functionText},"query_id":${lastQuery.number},"num_records":${rowCount},"arguments":[`,
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
