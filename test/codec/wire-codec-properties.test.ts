import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { CONTEXT, echoReply, FORMATS, makeFunction } from './codec-test-helpers.ts';
import { sqlTypeArbitrary, valueArbitrary } from './sql-value-arbitraries.ts';

const FORMAT = fc.constantFrom(...FORMATS);

const CONTEXTS = fc.constantFrom(CONTEXT, { batchId: 'b"\\ü', queryId: '', user: 'Zoë 😀' });

/** Argument types, then 0..12 rows of values for them. */
const TYPED_ROWS = fc
  .array(sqlTypeArbitrary(2), { maxLength: 4 })
  .chain((types) => fc.tuple(fc.constant(types), fc.array(fc.tuple(...types.map(valueArbitrary)), { maxLength: 12 })));

function digitCount(value: number): number {
  return String(value).length;
}

describe('codec properties', () => {
  it('sizes: envelopeSize + Σ encodedRowSize bounds the batch, with only the documented slack', () => {
    fc.assert(
      fc.property(FORMAT, TYPED_ROWS, fc.integer({ min: 0, max: 5000 }), CONTEXTS, (format, [types, rows], extraRows, context) => {
        const maxBatchRows = Math.max(rows.length, 1) + extraRows;
        const codec = createWireCodec(makeFunction(format, types, { kind: 'INT' }, { maxBatchRows }));
        const batch = codec.encodeBatch(rows, context);
        JSON.parse(Buffer.from(batch).toString('utf8'));
        const rowSizes = rows.map((row) => codec.encodedRowSize(row));
        const bound = codec.envelopeSize(context) + rowSizes.reduce((sum, size) => sum + size, 0);
        // Slack: one comma counted per row but only n−1 exist; snowflake row numbers sized for the largest batch;
        // redshift num_records sized for the largest batch.
        let slack = rows.length > 0 ? 1 : 0;
        if (format === 'snowflake') rows.forEach((_row, index) => (slack += digitCount(maxBatchRows - 1) - digitCount(index)));
        if (format === 'redshift') slack += digitCount(maxBatchRows) - digitCount(rows.length);
        assert.equal(bound - batch.byteLength, slack);
        // The fast path gives the same bytes and sizes.
        const encoded = rows.map((row) => codec.encodeRow(row));
        assert.deepStrictEqual(encoded.map((row) => row.size), rowSizes);
        assert.deepStrictEqual(codec.encodeBatchFromEncodedRows(encoded, context), batch);
      }),
      { numRuns: 300 },
    );
  });

  it('round trip: an echoed batch decodes to values that round-trip unchanged', () => {
    fc.assert(
      fc.property(
        FORMAT,
        sqlTypeArbitrary(3).chain((type) => fc.tuple(fc.constant(type), fc.array(valueArbitrary(type), { minLength: 1, maxLength: 8 }))),
        (format, [type, values]: [SqlType, unknown[]]) => {
          const codec = createWireCodec(makeFunction(format, [type], type));
          const rows = values.map((value) => [value]);
          const first = codec.decodeReply(echoReply(format, codec.encodeBatch(rows, CONTEXT)), rows.length).results;
          assert.equal(first.length, values.length);
          first.forEach((value, index) => assert.equal(value === null, values[index] === null, 'NULL stays NULL and only NULL'));
          const second = codec.decodeReply(echoReply(format, codec.encodeBatch(first.map((value) => [value]), CONTEXT)), rows.length).results;
          assert.deepStrictEqual(second, first);
        },
      ),
      { numRuns: 400 },
    );
  });
});
