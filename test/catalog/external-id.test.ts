import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXTERNAL_ID_LENGTH, EXTERNAL_ID_PATTERN, generateExternalId } from '../../src/catalog/index.ts';

describe('generateExternalId', () => {
  it('gives 10,000 distinct 32-character [A-Za-z0-9] ids (≥128 bits each)', () => {
    const ids = new Set<string>();
    for (let index = 0; index < 10_000; index += 1) {
      const id = generateExternalId();
      assert.match(id, /^[A-Za-z0-9]{32}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 10_000);
    assert.equal(EXTERNAL_ID_LENGTH, 32);
    assert.ok(EXTERNAL_ID_LENGTH * Math.log2(62) >= 128);
    assert.ok(EXTERNAL_ID_PATTERN.test(generateExternalId()));
  });

  it('uses the whole alphabet, roughly uniformly (no modulo bias towards the first letters)', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 2_000; index += 1) {
      for (const character of generateExternalId()) counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    assert.equal(counts.size, 62);
    // 64,000 draws over 62 letters: about 1,032 each. A modulo-256 bias would give the first 8 letters ~25 % more.
    for (const [character, count] of counts) assert.ok(count > 850 && count < 1_220, `${character}: ${count}`);
  });
});
