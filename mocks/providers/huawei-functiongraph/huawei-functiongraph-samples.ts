import type { ProviderSamples } from '../../mock-provider.ts';

const ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const PROJECT = '0123456789abcdef0123456789abcdef';

/** Huawei Cloud FunctionGraph's catalog rules by example (agency URNs, OBS bucket names, function names, URNs, versions and aliases). */
export const HUAWEI_SAMPLES: ProviderSamples = {
  connection: { region: 'cn-north-4', roleArn: `iam::${ACCOUNT}:agency:lakefn-agency`, namespace: 'default', codeBucket: 'my-obs-bucket', comment: null },
  roleArnAccounts: [
    { roleArn: `iam::${ACCOUNT}:agency:lakefn-agency`, accountId: ACCOUNT },
    { roleArn: 'iam::123123123123:agency:Agency_name+=,.@-x', accountId: '123123123123' },
  ],
  regions: { valid: ['cn-north-4', 'ap-southeast-1', 'eu-west-101', 'my-kualalumpur-1', 'ae-ad-1'], invalid: ['', 'cn-north', 'CN-NORTH-4', 'cn_north_4', 'north-4', 'cn-mars-1', 'cn-north-4 ', 'ap-beijing'] },
  roleArns: {
    valid: [`iam::${ACCOUNT}:agency:a`, `iam::${ACCOUNT}:agency:${'a'.repeat(64)}`],
    invalid: [
      `iam::${ACCOUNT}:agency:`, `iam::${ACCOUNT}:agency:${'a'.repeat(65)}`, `iam::${ACCOUNT}:agency:a/b`, `iam::${ACCOUNT}:user:a`, `iam:cn-north-4:${ACCOUNT}:agency:a`,
      `iam::${ACCOUNT.toUpperCase()}:agency:a`, `sts::${ACCOUNT}::assumed-agency:a/s`, 'iam:::agency:a', `IAM::${ACCOUNT}:agency:a`, 'arn:aws:iam::123456789012:role/x',
    ],
  },
  namespaces: { valid: ['default', 'team-a', 'pkg_1'], invalid: ['-x', ' default'] },
  codeBuckets: {
    valid: [null, 'abc', 'my-obs-bucket', 'my.bucket-1', `a${'b'.repeat(61)}c`],
    invalid: ['ab', 'My-Bucket', 'my..bucket', 'my.-bucket', 'my-.bucket', '-bucket', 'bucket-', '192.168.1.1', 'my_bucket', `a${'b'.repeat(62)}c`, 'obs://bucket'],
  },
  functionNames: {
    valid: ['f', 'upper', 'my-function_1', `a${'b'.repeat(58)}c`, `urn:fss:cn-north-4:${PROJECT}:function:default:upper`],
    invalid: ['', '1f', '_f', 'f-', 'my.function', `a${'b'.repeat(59)}c`, `urn:fss:cn-north-4:${PROJECT.slice(1)}:function:default:upper`, `urn:fss:cn-north-4:${PROJECT}:function:default:`, 'arn:aws:lambda:us-east-1:123456789012:function:f'],
  },
  qualifiers: { valid: ['latest', 'v20260102-030405', '1', '!prod', '!blue-green'], invalid: ['', '!', '!1prod', '!prod-', '$LATEST', 'a b'] },
};
