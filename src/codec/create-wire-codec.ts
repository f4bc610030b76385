import { LakefnError } from '../errors/index.ts';
import type { FunctionRecord, WireFormat } from '../spec/function-record.ts';
import { formatSqlType, type SqlType } from '../spec/sql-type.ts';
import { createApiGatewayEnvelope, escapedGrowth } from './api-gateway-envelope.ts';
import { parseJsonExact } from './exact-json-parser.ts';
import { createBigqueryWireFormat } from './formats/bigquery-wire-format.ts';
import { createLakefnWireFormat } from './formats/lakefn-wire-format.ts';
import { createRedshiftWireFormat } from './formats/redshift-wire-format.ts';
import { createSnowflakeWireFormat } from './formats/snowflake-wire-format.ts';
import { createValueDecoder } from './value-decoders.ts';
import { createValueEncoder } from './value-encoders.ts';
import { describeMismatch, mismatchDetails, quoteShort } from './value-mismatch.ts';
import type { BatchContext, DecodedReply, EncodedRow, WireCodec, WireCodecOptions } from './wire-codec.ts';
import { badResponse, describeJsonKind, type WireFormatDefinition } from './wire-format-definition.ts';

/** What createWireCodec returns: a WireCodec whose optional fast-path members are always present. */
export type CompleteWireCodec = WireCodec & Required<Pick<WireCodec, 'encodeRow' | 'encodeBatchFromEncodedRows'>>;

const FORMATS: Readonly<Record<WireFormat, (fn: FunctionRecord) => WireFormatDefinition>> = {
  lakefn: createLakefnWireFormat,
  snowflake: createSnowflakeWireFormat,
  bigquery: createBigqueryWireFormat,
  redshift: createRedshiftWireFormat,
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True when a reply of `type` can hold values a double cannot carry exactly (so number literals must be kept). */
function needsExactNumbers(type: SqlType): boolean {
  switch (type.kind) {
    case 'BIGINT':
    case 'DECIMAL':
    case 'JSON':
      return true;
    case 'ARRAY':
      return needsExactNumbers(type.element);
    case 'MAP':
      return needsExactNumbers(type.value);
    case 'STRUCT':
      return type.fields.some((field) => needsExactNumbers(field.type));
    default:
      return false;
  }
}

/**
 * The codec of `fn` for its `format` property. Value encoders and decoders are compiled here once; per row the
 * codec only validates and writes JSON text. Throws E_INVALID_TYPE for types no format can carry (non-scalar MAP
 * keys). Size bounds assume batches of at most `fn.properties.maxBatchRows` rows, as the dispatcher builds them.
 */
export function createWireCodec(fn: FunctionRecord, options: WireCodecOptions = {}): CompleteWireCodec {
  const definition = FORMATS[fn.properties.format](fn);
  // only with envelope = 'api_gateway': every other codec encodes exactly as without envelopes
  const envelope = options.envelope === 'api_gateway' ? createApiGatewayEnvelope(fn) : undefined;
  const { description } = definition;
  const argumentCount = fn.arguments.length;
  const encoders = fn.arguments.map((argument) => createValueEncoder(argument.type));
  const returnTypeText = formatSqlType(fn.returnType);
  const keepNumberLiterals = needsExactNumbers(fn.returnType);
  const decode = createValueDecoder(fn.returnType, keepNumberLiterals);

  function badRow(message: string, rowIndex: number | undefined, field?: string): LakefnError {
    const location = { ...(rowIndex === undefined ? {} : { row: rowIndex }), ...(field === undefined ? {} : { field }) };
    return new LakefnError('E_BAD_ROW', message, { location });
  }

  /** Comma-separated JSON texts of the row's arguments. */
  function encodeArguments(row: readonly unknown[], rowIndex: number | undefined): string {
    if (!Array.isArray(row)) throw badRow(`a row for function ${fn.name} is ${describeJsonKind(row)}, not an array of its ${argumentCount} arguments`, rowIndex);
    if (row.length !== argumentCount) {
      throw badRow(`a row for function ${fn.name} has ${row.length} values, but the function takes ${argumentCount} arguments (${fn.arguments.map((argument) => argument.name).join(', ')})`, rowIndex);
    }
    let text = '';
    let index = 0;
    try {
      for (; index < argumentCount; index++) {
        if (index > 0) text += ',';
        text += (encoders[index] as (value: unknown) => string)(row[index]);
      }
    } catch (error) {
      const details = mismatchDetails(error);
      if (details === undefined) throw error;
      const argument = fn.arguments[index];
      const name = argument?.name ?? String(index);
      const typeText = argument === undefined ? '' : formatSqlType(argument.type);
      throw badRow(`argument ${name} (#${index + 1}) of function ${fn.name} does not fit its type ${typeText}${describeMismatch(details, name)}. Pass a value of type ${typeText}, or NULL.`, rowIndex, name);
    }
    return text;
  }

  function encodeRow(row: readonly unknown[], rowIndex?: number): EncodedRow {
    const text = encodeArguments(row, rowIndex);
    // inside an envelope the batch travels as a JSON string: each `"` and `\` of the row takes one byte more
    const size = Buffer.byteLength(text, 'utf8') + definition.rowOverheadBytes + (envelope === undefined ? 0 : escapedGrowth(text));
    return { text, size };
  }

  function batchBytes(rowCount: number, argumentsText: (index: number) => string, context: BatchContext): Uint8Array {
    const { head, tail } = definition.envelope(context, rowCount);
    let text = head;
    for (let index = 0; index < rowCount; index++) {
      if (index > 0) text += ',';
      text += definition.rowText(index, argumentsText(index));
    }
    text += tail;
    return Buffer.from(envelope === undefined ? text : envelope.wrap(text, context), 'utf8');
  }

  /**
   * Parses reply text with the exact parser, never JSON.parse: besides keeping BIGINT and DECIMAL literals exact, it
   * refuses what JSON.parse would silently resolve (a duplicate key keeps its last value there) and nesting past
   * MAX_JSON_DEPTH.
   */
  function parseReply(text: string): unknown {
    try {
      return parseJsonExact(text, { keepNumberLiterals });
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      throw badResponse(description, `the reply cannot be read as JSON (${problem}); it starts with ${quoteShort(text)}`);
    }
  }

  function decodeResults(values: readonly unknown[], rowErrors: ReadonlyMap<number, string>): unknown[] {
    const results = new Array<unknown>(values.length);
    let row = 0;
    try {
      for (; row < values.length; row++) results[row] = rowErrors.size > 0 && rowErrors.has(row) ? null : decode(values[row]);
    } catch (error) {
      const details = mismatchDetails(error);
      if (details === undefined) throw error;
      throw new LakefnError(
        'E_TYPE_COERCION',
        `function ${fn.name} returned a value that does not fit its return type ${returnTypeText}${describeMismatch(details, 'result')}. Make the function return ${returnTypeText} values, or declare the type it really returns.`,
        { location: { row }, data: { expected: details.expected, path: details.path.join('') } },
      );
    }
    return results;
  }

  return {
    format: definition.format,
    encodedRowSize: (row, rowIndex) => encodeRow(row, rowIndex).size,
    envelopeSize(context) {
      // Redshift's num_records grows with the row count: size the envelope for the largest batch.
      const { head, tail } = definition.envelope(context, fn.properties.maxBatchRows);
      const wire = Buffer.byteLength(head, 'utf8') + Buffer.byteLength(tail, 'utf8');
      return envelope === undefined ? wire : wire + envelope.overheadBytes(context, head, tail);
    },
    encodeBatch(rows, context) {
      return batchBytes(rows.length, (index) => encodeArguments(rows[index] as readonly unknown[], index), context);
    },
    encodeRow,
    encodeBatchFromEncodedRows(rows, context) {
      return batchBytes(rows.length, (index) => (rows[index] as EncodedRow).text, context);
    },
    decodeReply(payload, sentRowCount): DecodedReply {
      if (payload.byteLength === 0) throw badResponse(description, 'the reply is empty');
      let text: string;
      try {
        text = UTF8.decode(payload);
      } catch {
        throw badResponse(description, 'the reply is not valid UTF-8');
      }
      let reply = parseReply(text);
      // Handlers written for Redshift (and many others) return json.dumps(reply): JSON text inside a JSON string.
      if (typeof reply === 'string') reply = parseReply(reply);
      const { values, rowErrors } = definition.extractResults(reply, sentRowCount);
      return { results: decodeResults(values, rowErrors), rowErrors };
    },
    ...(envelope === undefined ? {} : { unwrapReply: (payload: Uint8Array) => envelope.unwrap(payload) }),
  };
}
