import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCloudFunctionReference, validateCloudFunctionName } from '../../src/catalog/index.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';

/** Each cloud's names and qualifiers by example, kept in its mock folder (MockProvider `samples`). */
const SAMPLES = (await loadMockProviders()).map((mock) => [mock.id, mock.samples] as const);

describe('validateCloudFunctionName', () => {
  for (const [provider, samples] of SAMPLES) {
    it(`${provider}: names`, () => {
      for (const name of samples.functionNames.valid) assert.deepEqual(validateCloudFunctionName(provider, name, null), { cloudFunction: name, qualifier: null }, name);
      for (const name of samples.functionNames.invalid) assert.throws(() => validateCloudFunctionName(provider, name, null), { code: 'E_INVALID_FUNCTION' }, name);
    });

    it(`${provider}: qualifiers`, () => {
      const name = samples.functionNames.valid[0] ?? '';
      for (const qualifier of samples.qualifiers.valid) assert.equal(validateCloudFunctionName(provider, name, qualifier).qualifier, qualifier, qualifier);
      for (const qualifier of samples.qualifiers.invalid) assert.throws(() => validateCloudFunctionName(provider, name, qualifier), { code: 'E_INVALID_FUNCTION' }, qualifier);
    });
  }

  it('names the qualifier and the function in the message', () => {
    assert.throws(() => validateCloudFunctionName('aws', 'f', 'a:b'), /qualifier 'a:b' of cloud function 'f'/);
  });

  it("a Lambda ARN must be in the connection's account, region and partition", () => {
    const connection = { region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r' };
    const own = 'arn:aws:lambda:us-east-1:123456789012:function:x';
    assert.equal(validateCloudFunctionName('aws', own, null, undefined, connection).cloudFunction, own);
    assert.equal(validateCloudFunctionName('aws', 'x', null, undefined, connection).cloudFunction, 'x');
    for (const [arn, pattern] of [
      ['arn:aws:lambda:eu-west-1:999999999999:function:x', /account 999999999999.*account 123456789012/],
      ['arn:aws:lambda:eu-west-1:123456789012:function:x', /region eu-west-1.*region us-east-1/],
      ['arn:aws-cn:lambda:us-east-1:123456789012:function:x', /partition aws-cn.*partition aws,/],
    ] as const) {
      assert.throws(() => validateCloudFunctionName('aws', arn, null, { line: 1, column: 1 }, connection), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'E_INVALID_FUNCTION');
        assert.match(error.message, pattern);
        return true;
      });
    }
    // without the connection (a stored row checked for syntax only) the ARN is well-formed
    assert.equal(validateCloudFunctionName('aws', 'arn:aws:lambda:eu-west-1:999999999999:function:x', null).qualifier, null);
  });

  it('puts the location into the message', () => {
    assert.throws(() => validateCloudFunctionName('tencent', 'f', null, { line: 2, column: 7 }), (error: Error) => error.message.endsWith(' at 2:7'));
  });
});

describe('splitCloudFunctionReference', () => {
  it('splits at the first colon of a name and the seventh of an ARN', () => {
    assert.deepEqual(splitCloudFunctionReference('fn'), { cloudFunction: 'fn', qualifier: null });
    assert.deepEqual(splitCloudFunctionReference('fn:prod'), { cloudFunction: 'fn', qualifier: 'prod' });
    assert.deepEqual(splitCloudFunctionReference('fn:a:b'), { cloudFunction: 'fn', qualifier: 'a:b' });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:f';
    assert.deepEqual(splitCloudFunctionReference(arn), { cloudFunction: arn, qualifier: null });
    assert.deepEqual(splitCloudFunctionReference(`${arn}:$LATEST`), { cloudFunction: arn, qualifier: '$LATEST' });
  });

  it('refuses empty, padded or control-character references', () => {
    for (const bad of ['', ' fn', 'fn ', 'f\u0000n']) assert.throws(() => splitCloudFunctionReference(bad), { code: 'E_INVALID_FUNCTION' });
  });
});
