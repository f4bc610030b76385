import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesLikePattern } from '../../src/sql/like-pattern.ts';

describe('matchesLikePattern', () => {
  const cases: readonly [string, string, boolean][] = [
    ['%', '', true], ['%', 'anything', true], ['', '', true], ['', 'a', false],
    ['prod%', 'prod_conn', true], ['prod%', 'PROD', true], ['prod%', 'pro', false],
    ['%conn', 'my_conn', true], ['%conn', 'conn_x', false], ['a_c', 'abc', true], ['a_c', 'ac', false],
    ['%a%b%', 'xxaxxbxx', true], ['%a%b%', 'xxbxxaxx', false], ['a%%b', 'ab', true], ['_%_', 'a', false], ['_%_', 'ab', true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`'${value}' LIKE '${pattern}' is ${expected}`, () => {
      assert.equal(matchesLikePattern(pattern, value), expected);
    });
  }
});
