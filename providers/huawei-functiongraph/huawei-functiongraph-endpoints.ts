import type { ProviderEndpoints } from '../../src/spec/provider-definition.ts';

/**
 * Regions with an STS host of their own: the vendor SDK's `StsRegion` (huaweicloud-sdk-nodejs-v3, services/sts/v1).
 * STS answers AssumeAgency at any regional endpoint (support.huaweicloud.com/usermanual-iam5/iam_01_1237.html), so a
 * region without one uses the nearest of its site: cn-north-4 in the Chinese mainland, ap-southeast-1 elsewhere.
 */
const STS_REGIONS: ReadonlySet<string> = new Set([
  'cn-north-4', 'cn-south-1', 'cn-east-3', 'cn-southwest-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'sa-brazil-1', 'la-south-2', 'af-south-1', 'tr-west-1',
]);

/** The STS region a connection's AssumeAgency calls go to. */
export function stsRegionFor(region: string): string {
  if (STS_REGIONS.has(region)) return region;
  return region.startsWith('cn-') ? 'cn-north-4' : 'ap-southeast-1';
}

/** The name of the IAM host among a binding's auxiliary endpoints (DESC shows it as `iam`). */
export const IAM_ENDPOINT = 'iam';

/**
 * `functiongraph.<region>.myhuaweicloud.com` (the SDK's FunctionGraphRegion) and the regional STS host. The project id
 * lookup (IAM `GET /v3/auth/projects`, see huawei-functiongraph-adapter.ts) goes to `iam.<region>.myhuaweicloud.com`,
 * or where STS goes when STS is overridden (a mock, a proxy).
 */
export const HUAWEI_ENDPOINTS = {
  apis: { sts: 'sts', invoke: 'functiongraph' },
  async hosts({ region }) {
    return {
      sts: `sts.${stsRegionFor(region)}.myhuaweicloud.com`,
      invoke: `functiongraph.${region}.myhuaweicloud.com`,
      auxiliary: { [IAM_ENDPOINT]: { host: `iam.${region}.myhuaweicloud.com`, via: 'sts' } },
    };
  },
} as const satisfies ProviderEndpoints;
