import { partition } from '@aws-sdk/core/client';

/**
 * The partition whose endpoints serve a region, from the AWS SDK's own partition table (independent of lakefn's
 * catalog rule, so that the mock checks lakefn rather than mirroring it).
 */
export function awsPartitionOfRegion(region: string): string {
  return partition(region).name;
}
