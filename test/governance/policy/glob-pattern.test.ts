import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileGlob, matchGlob, matchTokens, type StepCounter } from '../../../src/governance/policy/glob-pattern.ts';

describe('wildcard patterns', () => {
  const cases: readonly [string, string, boolean][] = [
    ['*', '', true], ['*', 'anything', true], ['', '', true], ['', 'a', false],
    ['etl_*', 'etl_orders', true], ['etl_*', 'etl_', true], ['etl_*', 'et', false], ['etl_*', 'ETL_orders', false],
    ['*_prod', 'orders_prod', true], ['*_prod', 'orders_prod2', false], ['a?c', 'abc', true], ['a?c', 'ac', false],
    ['*a*b*', 'xxaxxbxx', true], ['*a*b*', 'xxbxxaxx', false], ['a**b', 'ab', true], ['?*?', 'a', false], ['?*?', 'ab', true],
    ['exact', 'exact', true], ['exact', 'exactly', false], ['?', '😀', true], ['??', '😀', false], ['a?', 'a😀', true], ['*😀', 'x😀', true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`'${value}' against '${pattern}' is ${expected}`, () => {
      assert.equal(matchGlob(compileGlob(pattern), value), expected);
    });
  }

  it('takes the fast paths: any, exact, prefix, *-only segments', () => {
    assert.equal(compileGlob('*').kind, 'any');
    assert.equal(compileGlob('***').kind, 'any');
    assert.equal(compileGlob('abc').kind, 'exact');
    assert.equal(compileGlob('abc*').kind, 'prefix');
    assert.equal(compileGlob('a*c').kind, 'segments');
    assert.equal(compileGlob('*_pii*').kind, 'segments');
    assert.equal(compileGlob('a?c*').kind, 'general');
  });

  it('agrees with a reference matcher (memoized recursion) on random patterns', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 10 }), (patternCharacters, valueCharacters) => {
        const pattern = patternCharacters.join('');
        const value = valueCharacters.join('');
        assert.equal(matchGlob(compileGlob(pattern), value), referenceMatch(pattern, value), `${pattern} vs ${value}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays within (n+1)·(2m+2) steps on adversarial patterns (*?*?*… against long names)', () => {
    const adversarial = [
      { pattern: '*?'.repeat(512), value: 'a'.repeat(1024) },
      { pattern: `${'*a?'.repeat(340)}b`, value: 'a'.repeat(1024) },
      { pattern: `*${'a'.repeat(500)}?b`, value: 'a'.repeat(1024) },
      { pattern: `${'*?'.repeat(300)}x`, value: 'ab'.repeat(512) },
    ];
    for (const { pattern, value } of adversarial) {
      const counter: StepCounter = { steps: 0 };
      const matcher = compileGlob(pattern);
      assert.equal(matcher.kind, 'general');
      if (matcher.kind !== 'general') continue;
      matchTokens(matcher.tokens, value, counter);
      assert.ok(counter.steps <= (value.length + 1) * (2 * matcher.tokens.length + 2), `${counter.steps} steps for a ${pattern.length}-character pattern`);
    }
  });

  it('answers *-only adversarial patterns (one indexOf per segment) correctly', () => {
    const cases: readonly [string, string, boolean][] = [
      [`${'*a'.repeat(500)}b`, 'a'.repeat(1024), false],
      [`*${'a'.repeat(500)}b`, 'a'.repeat(1024), false],
      [`*${'a'.repeat(500)}`, 'a'.repeat(1024), true],
      ['*ab*ab*ab*', 'ab'.repeat(512), true],
      ['a*a', 'a', false],
    ];
    for (const [pattern, value, expected] of cases) assert.equal(matchGlob(compileGlob(pattern), value), expected, pattern.slice(0, 20));
  });
});

function referenceMatch(pattern: string, value: string): boolean {
  const memo = new Map<string, boolean>();
  const match = (p: number, v: number): boolean => {
    const key = `${p},${v}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === pattern.length) result = v === value.length;
    else if (pattern[p] === '*') result = match(p + 1, v) || (v < value.length && match(p, v + 1));
    else result = v < value.length && (pattern[p] === '?' || pattern[p] === value[v]) && match(p + 1, v + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
