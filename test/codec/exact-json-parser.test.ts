import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonNumberLiteral, MAX_JSON_DEPTH, parseJsonExact } from '../../src/codec/exact-json-parser.ts';
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

/**
 * Whether a document JSON.parse accepts has an object with a key twice: the members written in the text (a ':'
 * outside strings separates exactly one key from its value) outnumber the members JSON.parse kept.
 */
function hasDuplicateKeys(text: string): boolean {
  let written = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === ':') written++;
  }
  const kept = (value: unknown): number =>
    typeof value === 'object' && value !== null ? (Array.isArray(value) ? 0 : Object.keys(value).length) + Object.values(value).reduce((sum: number, member) => sum + kept(member), 0) : 0;
  return written !== kept(JSON.parse(text));
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

  it('accepts and rejects exactly what JSON.parse does for damaged documents, except that it refuses duplicate keys', () => {
    fc.assert(
      fc.property(JSON_TEXT, fc.nat(), fc.constantFrom('delete', 'duplicate', 'quote', 'backslash', 'brace'), (text, at, damage) => {
        const position = text.length === 0 ? 0 : at % text.length;
        const insert = { delete: '', duplicate: text[position] ?? '', quote: '"', backslash: '\\', brace: '}' }[damage];
        const damaged = text.slice(0, position) + insert + text.slice(position + (damage === 'delete' ? 1 : 0));
        // e.g. {"ab":1,"b":2} with the 'a' deleted: JSON.parse keeps the last "b", lakefn refuses the document
        const outcome = jsonParseOutcome(damaged) === 'ok' && hasDuplicateKeys(damaged) ? 'error' : jsonParseOutcome(damaged);
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

  it(`reads nesting up to ${MAX_JSON_DEPTH} levels without recursion, and refuses deeper documents at once`, () => {
    let parsed = parseJsonExact(`${'['.repeat(MAX_JSON_DEPTH)}7${']'.repeat(MAX_JSON_DEPTH)}`);
    for (let level = 0; level < MAX_JSON_DEPTH; level++) parsed = (parsed as unknown[])[0];
    assert.equal(parsed, 7);
    assert.deepEqual(parseJsonExact(`${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}{}${'}'.repeat(MAX_JSON_DEPTH - 1)}`) !== undefined, true);
    const refused = { code: 'E_BAD_RESPONSE', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects, at character ${MAX_JSON_DEPTH}` };
    assert.throws(() => parseJsonExact(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`), refused);
    assert.throws(() => parseJsonExact(`${'['.repeat(MAX_JSON_DEPTH)}{}${']'.repeat(MAX_JSON_DEPTH)}`), refused);
    // refused as soon as the limit is passed: a huge document costs no more than its first levels
    assert.throws(() => parseJsonExact('['.repeat(5_000_000)), refused);
  });

  it('refuses an object with the same key twice, naming the key and where', () => {
    const twice = (key: string, at: number) => ({ code: 'E_BAD_RESPONSE', message: `JSON object with the key ${JSON.stringify(key)} twice (which value is meant is ambiguous), at character ${at}` });
    assert.throws(() => parseJsonExact('{"a":1,"a":2}'), twice('a', 7));
    assert.throws(() => parseJsonExact('{"a":1, "b":{"c":1,"c":[]}}'), twice('c', 19));
    assert.throws(() => parseJsonExact('{"a":1,"\\u0061":2}'), twice('a', 7));
    assert.throws(() => parseJsonExact('{"__proto__":1,"__proto__":2}'), twice('__proto__', 15));
    // the same key in different objects is fine
    assert.deepStrictEqual(parseJsonExact('[{"a":1},{"a":2,"b":{"a":3}}]'), [{ a: 1 }, { a: 2, b: { a: 3 } }]);
  });

  it('stays linear on many strings with a backslash far ahead', () => {
    // A backslash search restarted per string would scan the rest of the text every time (quadratic).
    const text = `[${'"plain",'.repeat(200_000)}"tail \\" quote"]`;
    const parsed = parseJsonExact(text) as string[];
    assert.equal(parsed.length, 200_001);
    assert.equal(parsed.at(-1), 'tail " quote');
  });
});
