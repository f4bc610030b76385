import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountIdFromRoleArn, validateConnectionFields } from '../../src/catalog/index.ts';
import type { ConnectionValidationOptions } from '../../src/catalog/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import type { ConnectionFields } from '../../src/spec/connection-record.ts';
import type { MockProvider, SampleValues } from '../../mocks/mock-provider.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';

const MOCKS = await loadMockProviders();

/** Each cloud's reference connection, from its samples (kept in its mock folder). */
const VALID = Object.fromEntries(MOCKS.map((mock) => [mock.id, { provider: mock.id, ...mock.samples.connection }])) as Readonly<Record<ConnectionFields['provider'], ConnectionFields>>;

function rejects(fields: ConnectionFields, code: ErrorCode, pattern?: RegExp, options: ConnectionValidationOptions = {}): void {
  assert.throws(() => validateConnectionFields(fields, options), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}

const FIELD_SAMPLES = [
  { field: 'region', code: 'E_INVALID_REGION', samples: (mock) => mock.samples.regions },
  { field: 'roleArn', code: 'E_INVALID_ROLE_ARN', samples: (mock) => mock.samples.roleArns },
  { field: 'namespace', code: 'E_INVALID_NAMESPACE', samples: (mock) => mock.samples.namespaces },
  { field: 'codeBucket', code: 'E_INVALID_CODE_BUCKET', samples: (mock) => mock.samples.codeBuckets },
] as const satisfies readonly { field: keyof ConnectionFields; code: ErrorCode; samples: (mock: MockProvider) => SampleValues<string | null> | undefined }[];

const CASES: readonly {
  readonly provider: ConnectionFields['provider'];
  readonly field: keyof ConnectionFields;
  readonly code: ErrorCode;
  readonly valid: readonly (string | null)[];
  readonly invalid: readonly string[];
}[] = [
  ...MOCKS.flatMap((mock) =>
    FIELD_SAMPLES.flatMap(({ field, code, samples }) => {
      const values = samples(mock);
      return values === undefined ? [] : [{ provider: mock.id, field, code, valid: values.valid, invalid: values.invalid }];
    }),
  ),
  { provider: 'aws', field: 'comment', code: 'E_INVALID_COMMENT', valid: [null, 'x', 'ünïcode ok', 'c'.repeat(1024)], invalid: ['', ' lead', 'trail ', 'two\nlines', 'tab\there', 'c'.repeat(1025)] },
];

describe('validateConnectionFields', () => {
  it('accepts the reference connection of each provider unchanged', () => {
    for (const fields of Object.values(VALID)) assert.deepEqual(validateConnectionFields(fields), fields);
  });

  for (const testCase of CASES) {
    it(`${testCase.provider} ${testCase.field}: valid and invalid samples`, () => {
      for (const value of testCase.valid) {
        const fields = { ...VALID[testCase.provider], [testCase.field]: value };
        assert.equal(validateConnectionFields(fields)[testCase.field], value, `${testCase.field} ${String(value)} should be accepted`);
      }
      for (const value of testCase.invalid) rejects({ ...VALID[testCase.provider], [testCase.field]: value }, testCase.code);
    });
  }

  it('normalises the provider to lower case and refuses unknown providers', () => {
    assert.equal(validateConnectionFields({ ...VALID.aws, provider: 'AWS' as 'aws' }).provider, 'aws');
    rejects({ ...VALID.aws, provider: 'azure' as 'aws' }, 'E_INVALID_PROVIDER', /'azure' is not supported/);
  });

  it('requires the AWS role partition to match the region', () => {
    const china = { ...VALID.aws, region: 'cn-north-1' };
    rejects(china, 'E_INVALID_ROLE_ARN', /partition 'aws' but REGION 'cn-north-1' belongs to partition 'aws-cn'/);
    assert.equal(validateConnectionFields({ ...china, roleArn: 'arn:aws-cn:iam::123456789012:role/x' }).region, 'cn-north-1');
    rejects({ ...VALID.aws, region: 'us-gov-west-1' }, 'E_INVALID_ROLE_ARN', /aws-us-gov/);
    assert.equal(validateConnectionFields({ ...VALID.aws, region: 'us-gov-west-1', roleArn: 'arn:aws-us-gov:iam::123456789012:role/x' }).region, 'us-gov-west-1');
    rejects({ ...VALID.aws, roleArn: 'arn:aws-cn:iam::123456789012:role/x' }, 'E_INVALID_ROLE_ARN', /partition 'aws-cn'.*'us-east-1'/);
  });

  it('accepts an unknown but well-formed region only when allowed', () => {
    const fields = { ...VALID.aws, region: 'eu-mars-1' };
    rejects(fields, 'E_INVALID_REGION', /not a known AWS region.*--allow-unknown-region/);
    assert.equal(validateConnectionFields(fields, { allowUnknownRegion: true }).region, 'eu-mars-1');
    rejects({ ...VALID.aws, region: 'EU-MARS-1' }, 'E_INVALID_REGION', /is not a valid AWS region id/, { allowUnknownRegion: true });
  });

  it('names the field, the value and the rule, and carries the given location', () => {
    const error = (() => {
      try {
        validateConnectionFields({ ...VALID.aws, roleArn: 'arn:aws:iam::123:role/x' }, { fieldLocations: { roleArn: { line: 3, column: 14 } } });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(LakefnError.isInstance(error));
    assert.equal(error.code, 'E_INVALID_ROLE_ARN');
    assert.equal(error.message, "ROLE_ARN 'arn:aws:iam::123:role/x' is not an AWS role ARN (expected arn:aws|aws-cn|aws-us-gov:iam::<12 digits>:role/[path/]<name of 1-64 [A-Za-z0-9+=,.@_-]>) at 3:14");
    assert.deepEqual(error.location, { line: 3, column: 14, field: 'ROLE_ARN' });
  });

  it('truncates huge values in messages and checks length before any pattern', () => {
    const huge = `arn:aws:iam::123456789012:role/${'a/'.repeat(50_000)}`;
    assert.throws(() => validateConnectionFields({ ...VALID.aws, roleArn: huge }), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_INVALID_ROLE_ARN');
      assert.match(error.message, /has 100031 characters \(allowed length 1\.\.2048\)/);
      assert.ok(error.message.length < 400);
      return true;
    });
  });

  it('makes control characters visible in messages', () => {
    rejects({ ...VALID.aws, region: 'us-east-1\u0000' }, 'E_INVALID_REGION', /'us-east-1\\x00' contains a control character/);
  });
});

describe('accountIdFromRoleArn', () => {
  it('returns the customer account of each provider', () => {
    for (const mock of MOCKS) {
      for (const { roleArn, accountId } of mock.samples.roleArnAccounts) assert.equal(accountIdFromRoleArn(mock.id, roleArn), accountId, roleArn);
    }
  });

  it('refuses an ARN of another provider', () => {
    assert.throws(() => accountIdFromRoleArn('aws', VALID.aliyun.roleArn), { code: 'E_INVALID_ROLE_ARN' });
  });
});
