import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountIdFromRoleArn, validateConnectionFields } from '../../src/catalog/index.ts';
import type { ConnectionValidationOptions } from '../../src/catalog/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import type { ConnectionFields } from '../../src/spec/connection-record.ts';

const VALID: Readonly<Record<ConnectionFields['provider'], ConnectionFields>> = {
  aliyun: { provider: 'aliyun', region: 'cn-shanghai', roleArn: 'acs:ram::1222800000000000:role/czudfrole', namespace: 'default', codeBucket: 'my-bucket', comment: null },
  tencent: { provider: 'tencent', region: 'ap-beijing', roleArn: 'qcs::cam::uin/100000000001:roleName/LakehouseRole', namespace: 'default', codeBucket: 'myfunction-1310000000', comment: null },
  aws: { provider: 'aws', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/LakehouseRole', namespace: 'default', codeBucket: 'my.code-bucket', comment: 'udfs' },
};

function rejects(fields: ConnectionFields, code: ErrorCode, pattern?: RegExp, options: ConnectionValidationOptions = {}): void {
  assert.throws(() => validateConnectionFields(fields, options), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}

const CASES: readonly {
  readonly provider: ConnectionFields['provider'];
  readonly field: keyof ConnectionFields;
  readonly code: ErrorCode;
  readonly valid: readonly (string | null)[];
  readonly invalid: readonly string[];
}[] = [
  { provider: 'aliyun', field: 'region', code: 'E_INVALID_REGION', valid: ['cn-hangzhou', 'cn-shanghai-finance-1', 'ap-southeast-1', 'cn-wuhan-lr'], invalid: ['', 'CN-SHANGHAI', 'cn_shanghai', 'shanghai', 'cn-nowhere', 'ap-beijing', ' cn-shanghai', 'cn-shanghai\n', 'c'.repeat(100)] },
  { provider: 'tencent', field: 'region', code: 'E_INVALID_REGION', valid: ['ap-guangzhou', 'ap-shanghai-fsi', 'na-siliconvalley', 'eu-frankfurt'], invalid: ['cn-shanghai', 'ap-mars', 'ap-beijing-1', 'AP-BEIJING', 'ap-beijing '] },
  { provider: 'aws', field: 'region', code: 'E_INVALID_REGION', valid: ['us-west-2', 'eu-central-1', 'ap-southeast-7', 'sa-east-1'], invalid: ['us-west', 'us-west-99', 'useast1', 'mars-north-1', 'us-east-1\t', 'us-iso-east-1'] },
  {
    provider: 'aliyun', field: 'roleArn', code: 'E_INVALID_ROLE_ARN',
    valid: ['acs:ram::123456789012:role/a', 'acs:ram::12345678901234567890:role/Role.Name-1_x', `acs:ram::1222800000000000:role/${'r'.repeat(64)}`],
    invalid: ['acs:ram::12345:role/x', 'acs:ram::1222800000000000:role/', 'acs:ram::1222800000000000:role/a/b', 'acs:ram:cn-shanghai:1222800000000000:role/x', 'ACS:RAM::1222800000000000:role/x', `acs:ram::1222800000000000:role/${'r'.repeat(65)}`, 'acs:ram::1222800000000000:role/x y', 'arn:aws:iam::123456789012:role/x'],
  },
  {
    provider: 'tencent', field: 'roleArn', code: 'E_INVALID_ROLE_ARN',
    valid: ['qcs::cam::uin/12345:roleName/r', 'qcs::cam::uin/100000000001:roleName/Role_name+=,.@-x'],
    invalid: ['qcs::cam::uin/1234:roleName/r', 'qcs::cam::uin/100000000001:role/123', 'qcs::cam::uin/100000000001:roleName/', 'qcs::cam::uin/abc:roleName/r', 'qcs::cam::uin/100000000001:roleName/a/b', `qcs::cam::uin/100000000001:roleName/${'r'.repeat(129)}`, 'qcs::cam::uin/100000000001:roleName/r\u0000'],
  },
  {
    provider: 'aws', field: 'roleArn', code: 'E_INVALID_ROLE_ARN',
    valid: ['arn:aws:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/path/to/Role+=,.@_-', `arn:aws:iam::123456789012:role/${'p/'.repeat(200)}r`],
    invalid: ['arn:aws:iam::12345678901:role/x', 'arn:aws:iam::1234567890123:role/x', 'arn:aws:iam::123456789012:user/x', 'arn:aws:iam::123456789012:role/', 'arn:aws:iam::123456789012:role/a//b', 'arn:aws:iam::123456789012:role/path/', 'arn:aws-iso:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/a b', 'arn:aws:sts::123456789012:role/x', `arn:aws:iam::123456789012:role/${'p/'.repeat(300)}r`, `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, 'arn:aws-cn:iam::123456789012:role/x', 'arn:aws-us-gov:iam::123456789012:role/x'],
  },
  { provider: 'tencent', field: 'namespace', code: 'E_INVALID_NAMESPACE', valid: ['default', 'ns', 'My_ns-01', `a${'b'.repeat(29)}`], invalid: ['', 'a', '1ns', 'ns-', 'ns_', 'n s', `a${'b'.repeat(30)}`, 'ns\u007f'] },
  { provider: 'aws', field: 'namespace', code: 'E_INVALID_NAMESPACE', valid: ['default', 'team-a'], invalid: ['-x', ' default'] },
  {
    provider: 'aws', field: 'codeBucket', code: 'E_INVALID_CODE_BUCKET',
    valid: [null, 'abc', 'my.bucket-1', `a${'b'.repeat(61)}c`],
    invalid: ['ab', 'My-Bucket', 'my..bucket', '-bucket', 'bucket-', '192.168.1.1', 'xn--bucket', 'sthree-x', 'amzn-s3-demo-x', 'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--x-s3', 'my_bucket', `a${'b'.repeat(62)}c`, 's3://bucket'],
  },
  {
    provider: 'aliyun', field: 'codeBucket', code: 'E_INVALID_CODE_BUCKET',
    valid: [null, 'my-bucket', 'abc', '123'],
    invalid: ['ab', 'my.bucket', 'My-bucket', '-abc', 'abc-', 'oss://b', 'a_b', `a${'b'.repeat(62)}c`],
  },
  {
    provider: 'tencent', field: 'codeBucket', code: 'E_INVALID_CODE_BUCKET',
    valid: [null, 'myfunction-1310000000', 'my-fn-12345', `${'a'.repeat(50)}-1250000000`],
    invalid: ['myfunction', 'myfunction-', '-1310000000', 'my_fn-1310000000', 'MyFn-1310000000', 'fn--1310000000', 'fn-1234', 'fn-12a45', `${'a'.repeat(51)}-1250000000`],
  },
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
    assert.equal(accountIdFromRoleArn('aliyun', VALID.aliyun.roleArn), '1222800000000000');
    assert.equal(accountIdFromRoleArn('tencent', VALID.tencent.roleArn), '100000000001');
    assert.equal(accountIdFromRoleArn('aws', 'arn:aws-cn:iam::210987654321:role/a/b/c'), '210987654321');
  });

  it('refuses an ARN of another provider', () => {
    assert.throws(() => accountIdFromRoleArn('aws', VALID.aliyun.roleArn), { code: 'E_INVALID_ROLE_ARN' });
  });
});
