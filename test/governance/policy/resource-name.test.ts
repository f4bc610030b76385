import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  connectionResource,
  formatResourceName,
  functionResource,
  packageResource,
  parseResourceName,
  projectResource,
  type ResourceName,
} from '../../../src/governance/policy/index.ts';
import { compileResourcePattern, matchResourcePattern, type ResourcePattern } from '../../../src/governance/policy/resource-pattern.ts';

function pattern(text: string): ResourcePattern {
  const compiled = compileResourcePattern(text);
  if ('problem' in compiled) assert.fail(`${text}: ${compiled.problem}`);
  return compiled;
}

describe('resource names (LRN)', () => {
  it('formats each resource type', () => {
    assert.equal(formatResourceName(projectResource('prod')), 'lrn:lakefn::project/prod');
    assert.equal(formatResourceName(connectionResource('prod', 'fc_conn')), 'lrn:lakefn:prod:connection/fc_conn');
    assert.equal(formatResourceName(functionResource('prod', 'etl.upper')), 'lrn:lakefn:prod:function/etl.upper');
    assert.equal(formatResourceName(packageResource('shared_udfs', 'text')), 'lrn:lakefn:shared_udfs:package/text');
  });

  it('percent-encodes % : / * ? spaces and control characters, keeps other characters', () => {
    assert.equal(formatResourceName(functionResource('my proj', 'a*b?c:d/e%f')), 'lrn:lakefn:my%20proj:function/a%2Ab%3Fc%3Ad%2Fe%25f');
    assert.equal(formatResourceName(functionResource('p', 'Zoë😀')), 'lrn:lakefn:p:function/Zoë😀');
    assert.equal(formatResourceName(functionResource('p', 'tab\there')), 'lrn:lakefn:p:function/tab%09here');
  });

  it('parses what it formats, for any names', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.constantFrom('connection', 'function', 'package', 'project'), name, name, (type, project, object) => {
        const resource: ResourceName = type === 'project' ? projectResource(object) : { type, project, name: object };
        assert.deepStrictEqual(parseResourceName(formatResourceName(resource)), resource);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses malformed names, saying what is wrong', () => {
    const refusals: readonly [string, RegExp][] = [
      ['arn:aws:s3:::bucket', /does not start with lrn:lakefn:/],
      ['lrn:lakefn:prod:connection/a:b', /fields instead of 4.*%3A/],
      ['lrn:lakefn:prod:table/t', /unknown resource type 'table'/],
      ['lrn:lakefn:prod:function/a*b', /raw '\*'.*%2A/],
      ['lrn:lakefn:prod:function/a%2', /'%' not followed by two hexadecimal digits/],
      ['lrn:lakefn:prod:function/%FF', /not valid UTF-8/],
      ['lrn:lakefn:prod:project/p', /project inside a project/],
      ['lrn:lakefn::connection/c', /outside any project/],
      ['lrn:lakefn:prod:function/', /empty name/],
    ];
    for (const [text, message] of refusals) {
      assert.throws(() => parseResourceName(text), (error: Error & { code?: string }) => message.test(error.message) && error.code === 'E_INVALID_ARGUMENT', text);
    }
    assert.throws(() => connectionResource('', 'c'), /non-empty project name/);
  });
});

describe('resource patterns', () => {
  const orders = connectionResource('prod', 'orders');
  const upper = functionResource('prod', 'upper');

  it('matches field by field', () => {
    assert.ok(matchResourcePattern(pattern('*'), orders));
    assert.ok(matchResourcePattern(pattern('*'), undefined), '"*" matches account-wide requests');
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:*:*'), undefined), 'only "*" matches account-wide requests');
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod:*'), orders));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod:*'), upper));
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod:*'), projectResource('prod')));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:*:*'), projectResource('prod')), 'an empty project field matches *');
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod:connection/ord*'), orders));
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod:connection/ord*'), functionResource('prod', 'orders')));
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod*:connection/*'), connectionResource('staging', 'orders')));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod*:connection/*'), connectionResource('prod_eu', 'orders')));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:*:*/orders'), orders));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn::project/pr?d'), projectResource('prod')));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod:function/?'), functionResource('prod', '😀')), '? is one character of the decoded name');
  });

  it('never lets a name act as a wildcard or shift a field', () => {
    // A function literally named "*": only %2A (or a wildcard) reaches it, and its name matches nothing else.
    const star = functionResource('prod', '*');
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:prod:function/%2A'), star));
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod:function/%2A'), upper));
    // A name with ':' and '/' cannot reach another project or type.
    const tricky = functionResource('dev', 'x:prod:connection/orders');
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod:connection/orders'), tricky));
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:prod:*'), tricky));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:dev:function/x%3Aprod%3Aconnection%2Forders'), tricky));
    // '*/x' in the name field: the '/' is a name character, so only names containing '/' match.
    assert.ok(!matchResourcePattern(pattern('lrn:lakefn:*:*/orders'), functionResource('p', 'y/orders')));
    assert.ok(matchResourcePattern(pattern('lrn:lakefn:*:function/y%2F*'), functionResource('p', 'y/orders')));
  });

  it('refuses patterns that can match nothing or are malformed', () => {
    const refusals: readonly [string, RegExp][] = [
      ['prod:*', /does not start with lrn:lakefn:/],
      ['lrn:lakefn:*', /fields instead of 4/],
      ['lrn:lakefn:prod:func*', /no <type>\/<name> part/],
      ['lrn:lakefn:prod:functoin/*', /matches no resource type/],
      ['lrn:lakefn:prod:project/*', /project inside a project/],
      ['lrn:lakefn::connection/*', /empty project field/],
      ['lrn:lakefn:prod:function/', /empty name field/],
      ['lrn:lakefn:prod:function/a/b', /raw '\/'.*%2F/],
    ];
    for (const [text, message] of refusals) {
      const compiled = compileResourcePattern(text);
      assert.ok('problem' in compiled && message.test(compiled.problem), `${text}: ${'problem' in compiled ? compiled.problem : 'accepted'}`);
    }
  });
});
