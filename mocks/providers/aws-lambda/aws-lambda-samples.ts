import type { ProviderSamples } from '../../mock-provider.ts';

/** AWS Lambda's catalog rules by example (IAM role ARNs with paths and partitions, S3 bucket names, Lambda names and ARNs). */
export const AWS_SAMPLES: ProviderSamples = {
  connection: { region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/LakehouseRole', namespace: 'default', codeBucket: 'my.code-bucket', comment: 'udfs' },
  roleArnAccounts: [{ roleArn: 'arn:aws-cn:iam::210987654321:role/a/b/c', accountId: '210987654321' }],
  regions: { valid: ['us-west-2', 'eu-central-1', 'ap-southeast-7', 'sa-east-1'], invalid: ['us-west', 'us-west-99', 'useast1', 'mars-north-1', 'us-east-1\t', 'us-iso-east-1'] },
  roleArns: {
    valid: ['arn:aws:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/path/to/Role+=,.@_-', `arn:aws:iam::123456789012:role/${'p/'.repeat(200)}r`],
    invalid: [
      'arn:aws:iam::12345678901:role/x', 'arn:aws:iam::1234567890123:role/x', 'arn:aws:iam::123456789012:user/x', 'arn:aws:iam::123456789012:role/',
      'arn:aws:iam::123456789012:role/a//b', 'arn:aws:iam::123456789012:role/path/', 'arn:aws-iso:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/a b',
      'arn:aws:sts::123456789012:role/x', `arn:aws:iam::123456789012:role/${'p/'.repeat(300)}r`, `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`,
      'arn:aws-cn:iam::123456789012:role/x', 'arn:aws-us-gov:iam::123456789012:role/x',
    ],
  },
  namespaces: { valid: ['default', 'team-a'], invalid: ['-x', ' default'] },
  codeBuckets: {
    valid: [null, 'abc', 'my.bucket-1', `a${'b'.repeat(61)}c`],
    invalid: ['ab', 'My-Bucket', 'my..bucket', '-bucket', 'bucket-', '192.168.1.1', 'xn--bucket', 'sthree-x', 'amzn-s3-demo-x', 'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--x-s3', 'my_bucket', `a${'b'.repeat(62)}c`, 's3://bucket'],
  },
  functionNames: {
    valid: ['f', 'my-function_1', 'F'.repeat(64), '9lives', 'arn:aws:lambda:us-east-1:123456789012:function:my-fn', 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f'],
    invalid: ['', 'F'.repeat(65), 'my.function', 'my function', 'arn:aws:lambda:us-east-1:1234:function:f', 'arn:aws:lambda:us-east-1:123456789012:function:', 'fn\n'],
  },
  qualifiers: { valid: ['$LATEST', 'prod'], invalid: ['', 'a:b', 'q'.repeat(129)] },
};
