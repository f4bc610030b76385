// A tiny lakefn-v1 JSON codec for dispatcher unit tests (the real codecs are tested in test/codec/).
// Supports the types these tests use: VARCHAR, INT, BIGINT (as strings when unsafe) and JSON.
import type { BatchContext, DecodedReply, WireCodec } from '../../../src/codec/wire-codec.ts';
import { LakefnError } from '../../../src/errors/index.ts';
import type { FunctionRecord } from '../../../src/spec/function-record.ts';
import type { SqlType } from '../../../src/spec/sql-type.ts';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function createJsonTestCodec(fn: FunctionRecord): WireCodec {
  const envelope = (context: BatchContext, rows: string): string =>
    `{"lakefn":1,"batch_id":${JSON.stringify(context.batchId)},"function":${JSON.stringify(fn.name)},"query_id":${JSON.stringify(context.queryId)},"user":${JSON.stringify(context.user)},"rows":[${rows}]}`;
  return {
    format: 'lakefn',
    encodedRowSize(row) {
      return Buffer.byteLength(JSON.stringify(row, replacer)) + 1;
    },
    envelopeSize(context) {
      return Buffer.byteLength(envelope(context, ''));
    },
    encodeBatch(rows, context) {
      rows.forEach((row, index) => {
        row.forEach((value, position) => {
          const type = fn.arguments[position]?.type;
          if (type !== undefined && value !== null && !fits(type, value)) {
            throw new LakefnError('E_BAD_ROW', `argument ${position + 1} does not fit ${type.kind}`, { location: { row: index } });
          }
        });
      });
      return Buffer.from(envelope(context, rows.map((row) => JSON.stringify(row, replacer)).join(',')));
    },
    decodeReply(payload, sentRowCount): DecodedReply {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(payload).toString('utf8'));
      } catch (error) {
        throw new LakefnError('E_BAD_RESPONSE', 'the reply is not valid JSON', { cause: error });
      }
      if (typeof body !== 'object' || body === null || !Array.isArray((body as { results?: unknown }).results)) {
        throw new LakefnError('E_BAD_RESPONSE', 'the reply has no "results" array');
      }
      const { results, errors } = body as { results: unknown[]; errors?: { row: number; message: string }[] };
      if (results.length !== sentRowCount) {
        throw new LakefnError('E_ROW_COUNT_MISMATCH', `the reply has ${results.length} results for ${sentRowCount} rows`);
      }
      const rowErrors = new Map<number, string>();
      for (const entry of errors ?? []) {
        if (!Number.isInteger(entry.row) || entry.row < 0 || entry.row >= sentRowCount) {
          throw new LakefnError('E_BAD_ROW_INDEX', `error row index ${String(entry.row)} out of range`);
        }
        rowErrors.set(entry.row, entry.message);
      }
      const converted = results.map((value, index) => {
        if (value === null || rowErrors.has(index)) return null;
        if (!fits(fn.returnType, value)) {
          throw new LakefnError('E_TYPE_COERCION', `result ${JSON.stringify(value)} does not fit ${fn.returnType.kind}`, { location: { row: index } });
        }
        return fn.returnType.kind === 'BIGINT' ? BigInt(value as string | number) : value;
      });
      return { results: converted, rowErrors };
    },
  };
}

function fits(type: SqlType, value: unknown): boolean {
  switch (type.kind) {
    case 'VARCHAR':
      return typeof value === 'string';
    case 'INT':
      return typeof value === 'number' && Number.isInteger(value);
    case 'BIGINT':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d{1,19}$/.test(value));
    default:
      return true;
  }
}
