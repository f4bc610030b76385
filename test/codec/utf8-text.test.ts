// Exact UTF-8 decoding: what is not UTF-8 is refused with its byte offset and line, wherever chunks are cut.
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeUtf8Chunks, decodeUtf8Exactly, firstInvalidUtf8Offset, InvalidUtf8Error } from '../../src/codec/utf8-text.ts';

/** The oracle: the first invalid byte ends the longest prefix that is complete, valid UTF-8 (-1: all valid). */
function expectedOffset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let longest = 0;
  for (let end = 1; end <= bytes.length; end++) if (isUtf8(bytes.subarray(0, end))) longest = end;
  return longest;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  return bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
}

async function decodeInChunks(bytes: Uint8Array, cuts: readonly number[]): Promise<string> {
  const ends = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let start = 0;
    for (const end of [...ends, bytes.length]) {
      if (end < start) continue;
      yield bytes.slice(start, end);
      start = end;
    }
  }
  let text = '';
  for await (const piece of decodeUtf8Chunks(chunks())) text += piece;
  return text;
}

/** Mostly UTF-8 text (every plane, line breaks), sometimes with a stray byte or a cut character spliced in. */
const INPUT = fc
  .tuple(
    fc.string({ unit: fc.constantFrom('a', '\n', 'é', '€', '😀', '\uFFFD', 'z'), maxLength: 30 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom([0xff], [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xef, 0xbf, 0xbd])), { maxLength: 2 }),
  )
  .map(([text, splices]) => {
    let bytes = Buffer.from(text, 'utf8');
    for (const [at, spliced] of splices) {
      const position = at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, position), Buffer.from(spliced), bytes.subarray(position)]);
    }
    return new Uint8Array(bytes);
  });

describe('UTF-8 decoding without replacement', () => {
  it('finds the first invalid byte exactly (an encoded U+FFFD is not an error)', () => {
    fc.assert(
      fc.property(INPUT, (bytes) => {
        assert.equal(firstInvalidUtf8Offset(bytes), expectedOffset(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes in any chunking exactly as a whole, or refuses at the same byte and line', async () => {
    await fc.assert(
      fc.asyncProperty(INPUT, fc.array(fc.nat(), { maxLength: 6 }), async (bytes, cuts) => {
        const offset = expectedOffset(bytes);
        if (offset === -1) {
          const whole = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          assert.equal(decodeUtf8Exactly(bytes), whole);
          assert.equal(await decodeInChunks(bytes, cuts), whole);
          return;
        }
        const refused = { name: 'InvalidUtf8Error', offset, line: lineAt(bytes, offset) };
        assert.throws(() => decodeUtf8Exactly(bytes), refused);
        await assert.rejects(decodeInChunks(bytes, cuts), refused);
      }),
      { numRuns: 1000 },
    );
  });

  it('names the line and byte offset of a Latin-1 byte in a stream of lines', async () => {
    const bytes = Buffer.concat([Buffer.from('first\nsecond\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const error = await decodeInChunks(bytes, [1, 7, 16]).catch((caught: unknown) => caught);
    assert.ok(error instanceof InvalidUtf8Error);
    assert.equal(error.line, 3);
    assert.equal(error.offset, 16);
  });
});
