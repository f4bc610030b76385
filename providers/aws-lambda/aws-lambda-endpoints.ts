import type { ProviderEndpoints } from '../../src/spec/provider-definition.ts';
import { parseAwsRoleArn } from './aws-lambda-catalog.ts';

/**
 * Lambda and STS hosts from the AWS SDK's own partition table (`partition()` of @aws-sdk/core, the data behind the
 * clients' endpoint rules): `lambda.<region>.<dnsSuffix>`, `sts.<region>.<dnsSuffix>`, so that China regions get
 * `amazonaws.com.cn`. A region whose SDK partition is not the role's partition makes no host.
 */
export const AWS_ENDPOINTS = {
  apis: { sts: 'sts', invoke: 'lambda' },
  async hosts({ region, roleArn }) {
    const { partition } = await import('@aws-sdk/core/client');
    const info = partition(region);
    const role = parseAwsRoleArn(roleArn);
    if (role === undefined || info.name !== role.partition) return undefined;
    return { sts: `sts.${region}.${info.dnsSuffix}`, invoke: `lambda.${region}.${info.dnsSuffix}` };
  },
} as const satisfies ProviderEndpoints;
