import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeTimestampText, timestampTextFromDate, validateDateText } from '../../src/codec/calendar-text.ts';
import { decimalFitProblem, formatDecimal, parseDecimalText, parseIntegerText } from '../../src/codec/decimal-text.ts';

describe('decimal text', () => {
  it('parses plain and exponent forms exactly', () => {
    const cases: [string, string, number][] = [
      ['0', '0', 0],
      ['-0.000', '0.00', 2],
      ['+12.5', '12.50', 2],
      ['-12.345', '-12.345', 3],
      ['1E+2', '100', 0],
      ['1e-7', '0.0000001', 7],
      ['0E-10', '0.0000000000', 10],
      ['123.456e2', '12345.6', 1],
      ['.5', '0.5', 1],
      ['5.', '5', 0],
      ['000123.4500', '123.45', 2],
      ['99999999999999999999999999999999999999', '99999999999999999999999999999999999999', 0],
    ];
    for (const [text, canonical, scale] of cases) {
      const parts = parseDecimalText(text);
      assert.ok(parts !== undefined, text);
      assert.equal(formatDecimal(parts, scale), canonical, text);
    }
  });

  it('rejects what is not a decimal number', () => {
    for (const text of ['', '-', '.', 'e5', '1e', '1.2.3', '1,5', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '1e+', '--1', '1e9999', '7'.repeat(401)]) {
      assert.equal(parseDecimalText(text), undefined, text);
    }
    // A zero is a zero whatever its exponent.
    assert.deepEqual(parseDecimalText('0e99999'), { negative: false, integerDigits: '', fractionDigits: '' });
  });

  it('checks precision and scale', () => {
    const parts = parseDecimalText('123.45');
    assert.ok(parts !== undefined);
    assert.equal(decimalFitProblem(parts, 5, 2), undefined);
    assert.match(decimalFitProblem(parts, 5, 1) ?? '', /2 fractional digits, at most 1/);
    assert.match(decimalFitProblem(parts, 4, 2) ?? '', /3 integer digits, at most 2/);
  });

  it('round-trips any decimal value through its canonical text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), fc.integer({ min: 0, max: 38 }), (unscaled, scale) => {
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = `${unscaled < 0n ? '-' : ''}${digits.slice(0, digits.length - scale)}${scale > 0 ? `.${digits.slice(-scale)}` : ''}`;
        const parts = parseDecimalText(text);
        assert.ok(parts !== undefined);
        assert.equal(formatDecimal(parts, scale), unscaled === 0n ? formatDecimal({ negative: false, integerDigits: '', fractionDigits: '' }, scale) : text);
      }),
    );
  });

  it('parses strict integer text', () => {
    assert.equal(parseIntegerText('-9223372036854775808'), -(2n ** 63n));
    assert.equal(parseIntegerText('+7'), 7n);
    for (const text of ['', '-', '1.0', '1e3', ' 1', '0x1', '9'.repeat(41)]) assert.equal(parseIntegerText(text), undefined, text);
  });
});

describe('calendar text', () => {
  it('accepts real calendar dates only', () => {
    for (const text of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-12-31']) assert.equal(validateDateText(text), text);
    for (const text of ['2023-02-29', '1900-02-29', '2023-02-30', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '0000-01-01', '2023-1-01', '2023/01/01', '20230101', '2023-01-01T00:00:00Z', '２０２３-01-01']) {
      assert.equal(typeof validateDateText(text), 'object', text);
    }
    assert.deepEqual(validateDateText('2023-02-30'), { problem: 'not a calendar date' });
  });

  it('normalises timestamps with zones to UTC, keeping the given precision', () => {
    const cases: [string, string][] = [
      ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
      ['2024-01-01t08:00:00+08:00', '2024-01-01T00:00:00Z'],
      ['2024-03-01 00:30:00.123456-01:00', '2024-03-01T01:30:00.123456Z'],
      ['2024-03-01T00:30+0530', '2024-02-29T19:00:00Z'],
      ['2023-12-31T23:59:59.5-01', '2024-01-01T00:59:59.5Z'],
      ['2024-01-01T00:00:00.120z', '2024-01-01T00:00:00.120Z'],
      ['2024-01-01T00:00:00,25Z', '2024-01-01T00:00:00.25Z'],
      ['2024-01-01T00:00:00.123456000Z', '2024-01-01T00:00:00.123456Z'],
      ['0001-01-01T00:30:00+00:30', '0001-01-01T00:00:00Z'],
      ['9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59.999999Z'],
    ];
    for (const [text, normalised] of cases) assert.equal(normalizeTimestampText(text), normalised, text);
  });

  it('rejects timestamps without a zone, with impossible fields, or finer than microseconds', () => {
    const cases: [string, RegExp][] = [
      ['2024-01-01T00:00:00', /no time zone/],
      ['2024-02-30T00:00:00Z', /calendar date/],
      ['2024-01-01T24:00:00Z', /time of day/],
      ['2024-01-01T12:60:00Z', /time of day/],
      ['2024-01-01T12:00:60Z', /time of day/],
      ['2024-01-01T00:00:00.123456789Z', /microseconds/],
      ['2024-01-01T00:00:00.Z', /1 to 9 digits/],
      ['2024-01-01T00:00:00+8:00', /offset/],
      ['2024-01-01T00:00:00+08:60', /offset/],
      ['0001-01-01T00:00:00+00:01', /0001\.\.9999/],
      ['9999-12-31T23:59:59-00:01', /0001\.\.9999/],
      ['2024-01-01X00:00:00Z', /ISO-8601/],
      ['2024-01-01T00:00:00Z'.padEnd(41, ' '), /ISO-8601/],
    ];
    for (const [text, problem] of cases) {
      const result = normalizeTimestampText(text);
      assert.equal(typeof result, 'object', text);
      assert.match((result as { problem: string }).problem, problem, text);
    }
  });

  it('agrees with Date on any instant in range', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (date, offsetMinutes) => {
          // Write the instant in local time of the offset, then normalise it back to UTC.
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const magnitude = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
          assert.equal(normalizeTimestampText(`${local}${offset}`), date.toISOString());
          assert.equal(timestampTextFromDate(date), date.toISOString());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects invalid and out-of-range Dates', () => {
    assert.equal(typeof timestampTextFromDate(new Date(Number.NaN)), 'object');
    assert.equal(typeof timestampTextFromDate(new Date('+010000-01-01T00:00:00Z')), 'object');
    assert.equal(typeof timestampTextFromDate(new Date('0000-06-01T00:00:00Z')), 'object');
  });
});
