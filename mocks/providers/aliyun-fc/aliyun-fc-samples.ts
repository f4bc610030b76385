import type { ProviderSamples } from '../../mock-provider.ts';

/** Alibaba Cloud FC 3.0's catalog rules by example (RAM role ARNs, OSS bucket names, FC function names). */
export const ALIYUN_SAMPLES: ProviderSamples = {
  connection: { region: 'cn-shanghai', roleArn: 'acs:ram::1222800000000000:role/czudfrole', namespace: 'default', codeBucket: 'my-bucket', comment: null },
  roleArnAccounts: [{ roleArn: 'acs:ram::1222800000000000:role/czudfrole', accountId: '1222800000000000' }],
  regions: { valid: ['cn-hangzhou', 'cn-shanghai-finance-1', 'ap-southeast-1', 'cn-wuhan-lr'], invalid: ['', 'CN-SHANGHAI', 'cn_shanghai', 'shanghai', 'cn-nowhere', 'ap-beijing', ' cn-shanghai', 'cn-shanghai\n', 'c'.repeat(100)] },
  roleArns: {
    valid: ['acs:ram::123456789012:role/a', 'acs:ram::12345678901234567890:role/Role.Name-1_x', `acs:ram::1222800000000000:role/${'r'.repeat(64)}`],
    invalid: [
      'acs:ram::12345:role/x', 'acs:ram::1222800000000000:role/', 'acs:ram::1222800000000000:role/a/b', 'acs:ram:cn-shanghai:1222800000000000:role/x',
      'ACS:RAM::1222800000000000:role/x', `acs:ram::1222800000000000:role/${'r'.repeat(65)}`, 'acs:ram::1222800000000000:role/x y', 'arn:aws:iam::123456789012:role/x',
    ],
  },
  codeBuckets: { valid: [null, 'my-bucket', 'abc', '123'], invalid: ['ab', 'my.bucket', 'My-bucket', '-abc', 'abc-', 'oss://b', 'a_b', `a${'b'.repeat(62)}c`] },
  functionNames: {
    valid: ['f', '_f', 'my-function_1', `a${'b'.repeat(127)}`],
    invalid: ['', '1f', '-f', 'my.function', `a${'b'.repeat(128)}`, 'arn:aws:lambda:us-east-1:123456789012:function:f'],
  },
  qualifiers: { valid: ['LATEST'], invalid: ['$LATEST'] },
};
