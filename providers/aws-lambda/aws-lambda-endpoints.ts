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

/**
 * The STS region AssumeRole falls back to when the connection region's STS is deactivated (the `sts_region` option):
 * the configured region when it is in the connection's partition, else (and for `default`) the partition's default
 * STS region from the SDK's partition table (`implicitGlobalRegion`: us-east-1, cn-northwest-1, us-gov-west-1).
 */
export async function stsFallbackRegion(option: string, region: string): Promise<string> {
  const { partition } = await import('@aws-sdk/core/client');
  // the partition data carries implicitGlobalRegion; the EndpointPartition type does not declare it
  const info: { readonly name: string; readonly implicitGlobalRegion?: unknown } = partition(region);
  if (option !== STS_REGION_DEFAULT && partition(option).name === info.name) return option;
  return typeof info.implicitGlobalRegion === 'string' ? info.implicitGlobalRegion : region;
}

/** `sts_region = 'default'`: each partition's default STS region. */
export const STS_REGION_DEFAULT = 'default';
