import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonNumberLiteral, mayHoldInexactNumber, parseJsonExact } from '../../src/codec/exact-json-parser.ts';
import { LakefnError } from '../../src/errors/index.ts';

/** parseJsonExact's result with every JsonNumberLiteral replaced by what JSON.parse gives for its text. */
function asJsonParseWould(value: unknown): unknown {
  if (value instanceof JsonNumberLiteral) return Number(value.text);
  if (Array.isArray(value)) return value.map(asJsonParseWould);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) Object.defineProperty(copy, key, { value: asJsonParseWould(member), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

function containsLiteral(value: unknown): boolean {
  if (value instanceof JsonNumberLiteral) return true;
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsLiteral);
  return false;
}

function throwsLike(text: string): 'ok' | 'error' {
  try {
    parseJsonExact(text);
    return 'ok';
  } catch (error) {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError for ${JSON.stringify(text)}, got ${String(error)}`);
    assert.equal(error.code, 'E_BAD_RESPONSE');
    return 'error';
  }
}

function jsonParseOutcome(text: string): 'ok' | 'error' {
  try {
    JSON.parse(text);
    return 'ok';
  } catch {
    return 'error';
  }
}

const JSON_TEXT = fc.json({ stringUnit: 'binary', maxDepth: 6 });

describe('parseJsonExact', () => {
  it('agrees with JSON.parse on random JSON documents', () => {
    fc.assert(
      fc.property(JSON_TEXT, (text) => {
        assert.deepStrictEqual(asJsonParseWould(parseJsonExact(text)), JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on pretty-printed documents with escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary', maxDepth: 5 }), (value) => {
        const text = JSON.stringify(value, null, '\t');
        assert.deepStrictEqual(asJsonParseWould(parseJsonExact(text)), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (number) => {
        const text = `[${String(number)}]`;
        assert.deepStrictEqual(asJsonParseWould(parseJsonExact(text)), JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every big integer literal exact and small ones as numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), (integer) => {
        const [parsed] = parseJsonExact(`[${integer}]`) as [unknown];
        const safe = integer >= -BigInt(Number.MAX_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER);
        if (safe) {
          assert.equal(typeof parsed, 'number');
          assert.equal(BigInt(parsed as number), integer);
        } else {
          assert.ok(parsed instanceof JsonNumberLiteral);
          assert.equal(parsed.text, String(integer));
        }
      }),
      { numRuns: 1000 },
    );
    for (const text of ['9007199254740991', '-9007199254740991', '9007199254740992', '9007199254740993', '9223372036854775807', '-9223372036854775808', '18446744073709551616']) {
      const parsed = parseJsonExact(text);
      if (Number.isSafeInteger(Number(text)) && BigInt(Number(text)) === BigInt(text)) assert.equal(parsed, Number(text));
      else assert.deepStrictEqual(parsed, new JsonNumberLiteral(text));
    }
  });

  it('keeps long fractions and exponents as literal text', () => {
    for (const text of ['0.30000000000000004', '12345678901234567890.123', '1e400', '-1E-400', '1.5e300', '0.1000000000000000055511151231257827']) {
      assert.deepStrictEqual(parseJsonExact(` ${text} `), new JsonNumberLiteral(text));
    }
    assert.equal(parseJsonExact('123456789012.345'), 123456789012.345);
    assert.equal(parseJsonExact('1.5e3'), 1500);
    assert.equal(parseJsonExact('-25E-5'), -0.00025);
    assert.ok(Object.is(parseJsonExact('-0'), -0));
  });

  it('rejects what JSON.parse rejects', () => {
    const invalid = ['', ' ', '{', '[1,]', '[,1]', '{"a":1,}', '{"a" 1}', '{a:1}', "'x'", '01', '-', '1.', '.5', '1e', '+1', '[1 2]', 'tru', 'nul', 'true false',
      '"\\x"', '"\\u12G4"', '"a\nb"', '"\u0000"', '"unterminated', '[1]]', 'NaN', 'Infinity', '{"a":1}x', '"\\"'];
    for (const text of invalid) {
      assert.equal(jsonParseOutcome(text), 'error', `JSON.parse should reject ${JSON.stringify(text)}`);
      assert.equal(throwsLike(text), 'error', `parseJsonExact should reject ${JSON.stringify(text)}`);
    }
  });

  it('accepts and rejects exactly what JSON.parse does for damaged documents', () => {
    fc.assert(
      fc.property(JSON_TEXT, fc.nat(), fc.constantFrom('delete', 'duplicate', 'quote', 'backslash', 'brace'), (text, at, damage) => {
        const position = text.length === 0 ? 0 : at % text.length;
        const insert = { delete: '', duplicate: text[position] ?? '', quote: '"', backslash: '\\', brace: '}' }[damage];
        const damaged = text.slice(0, position) + insert + text.slice(position + (damage === 'delete' ? 1 : 0));
        const outcome = jsonParseOutcome(damaged);
        assert.equal(throwsLike(damaged), outcome, `outcome differs for ${JSON.stringify(damaged)}`);
        if (outcome === 'ok') assert.deepStrictEqual(asJsonParseWould(parseJsonExact(damaged)), JSON.parse(damaged));
      }),
      { numRuns: 1000 },
    );
  });

  it('makes "__proto__" an own property, as JSON.parse does', () => {
    const parsed = parseJsonExact('{"__proto__":{"polluted":1},"a":[{"__proto__":null}]}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepStrictEqual(Object.keys(parsed), ['__proto__', 'a']);
    assert.deepStrictEqual(parsed, JSON.parse('{"__proto__":{"polluted":1},"a":[{"__proto__":null}]}'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('handles nesting far deeper than the call stack allows', () => {
    const depth = 200_000;
    let parsed = parseJsonExact(`${'['.repeat(depth)}7${']'.repeat(depth)}`);
    for (let level = 0; level < depth; level++) parsed = (parsed as unknown[])[0];
    assert.equal(parsed, 7);
  });

  it('stays linear on many strings with a backslash far ahead', () => {
    // A backslash search restarted per string would scan the rest of the text every time (quadratic).
    const text = `[${'"plain",'.repeat(200_000)}"tail \\" quote"]`;
    const parsed = parseJsonExact(text) as string[];
    assert.equal(parsed.length, 200_001);
    assert.equal(parsed.at(-1), 'tail " quote');
  });
});

describe('mayHoldInexactNumber', () => {
  it('never misses a literal that parseJsonExact keeps as text', () => {
    const bigNumber = fc.oneof(
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.constantFrom('1e5', '0.30000000000000004', '123.456e-7'),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(JSON_TEXT, bigNumber), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = `[${parts.join(',')}]`;
        if (!mayHoldInexactNumber(text)) assert.equal(containsLiteral(parseJsonExact(text)), false, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('skips string contents, including escaped quotes', () => {
    assert.equal(mayHoldInexactNumber('{"results":["9223372036854775807","1e5 \\" 12345678901234567"]}'), false);
    assert.equal(mayHoldInexactNumber('{"results":[1,2,3,-45.5]}'), false);
    assert.equal(mayHoldInexactNumber('{"results":["\\\\",9223372036854775807]}'), true);
    assert.equal(mayHoldInexactNumber('[1e3]'), true);
    assert.equal(mayHoldInexactNumber('[1234567.123456789]'), true);
  });
});
