import type { ProviderEndpoints } from '../../src/spec/provider-definition.ts';

/**
 * Regions with an STS host of their own: the vendor SDK's `StsRegion` (huaweicloud-sdk-nodejs-v3,
 * services/sts/v1/StsRegion.ts). That service is not published on npm, so this list is copied from its source rather
 * than read from a package. STS answers AssumeAgency at any regional endpoint
 * (support.huaweicloud.com/usermanual-iam5/iam_01_1237.html), so a region without one uses the nearest of its site:
 * cn-north-4 in the Chinese mainland, ap-southeast-1 elsewhere.
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

/** Region id → host, from a vendor SDK region class. */
type SdkRegionTable = ReadonlyMap<string, string>;

/**
 * The host of each region a vendor SDK region class (`FunctionGraphRegion`, `IamRegion`) lists: its static `Region` members (`{ id, endpoints }`), the
 * same data its `valueOf(regionId)` reads. Read by shape, not `instanceof`: the class's `Region` may come from another
 * copy of the core package.
 */
export function sdkRegionHosts(regionClass: object): SdkRegionTable {
  const hosts = new Map<string, string>();
  for (const member of Object.values(regionClass) as unknown[]) {
    if (typeof member !== 'object' || member === null || !('id' in member) || !('endpoints' in member)) continue;
    const { id, endpoints } = member;
    const endpoint: unknown = Array.isArray(endpoints) ? endpoints[0] : undefined;
    if (typeof id !== 'string' || typeof endpoint !== 'string' || !URL.canParse(endpoint)) continue;
    hosts.set(id, new URL(endpoint).hostname);
  }
  return hosts;
}

let sdkTables: Promise<{ readonly functionGraph: SdkRegionTable; readonly iam: SdkRegionTable }> | undefined;

/**
 * The region tables of @huaweicloud/huaweicloud-sdk-functiongraph (`FunctionGraphRegion`) and
 * @huaweicloud/huaweicloud-sdk-iam (v3 `IamRegion`, the API of the project lookup), loaded once. Only the region
 * modules are imported (a few kB), not the clients and their models.
 */
export function huaweiSdkRegionTables(): Promise<{ readonly functionGraph: SdkRegionTable; readonly iam: SdkRegionTable }> {
  sdkTables ??= Promise.all([
    import('@huaweicloud/huaweicloud-sdk-functiongraph/v2/FunctionGraphRegion.js'),
    import('@huaweicloud/huaweicloud-sdk-iam/v3/IamRegion.js'),
  ]).then(([functionGraph, iam]) => ({ functionGraph: sdkRegionHosts(functionGraph.FunctionGraphRegion), iam: sdkRegionHosts(iam.IamRegion) }));
  return sdkTables;
}

/**
 * FunctionGraph and IAM hosts from the vendor SDKs' region tables (IAM is not always `iam.<region>.myhuaweicloud.com`:
 * eu-west-101 is `iam.eu-west-101.myhuaweicloud.eu`), and the regional STS host. A region the SDKs do not list yet
 * (created with `--allow-unknown-region`) gets the services' regional rule `<service>.<region>.myhuaweicloud.com`.
 * The project id lookup (IAM `GET /v3/auth/projects`, see huawei-functiongraph-adapter.ts) goes to the IAM host, or
 * where STS goes when STS is overridden (a mock, a proxy).
 */
export const HUAWEI_ENDPOINTS = {
  apis: { sts: 'sts', invoke: 'functiongraph' },
  async hosts({ region }) {
    const tables = await huaweiSdkRegionTables();
    return {
      sts: `sts.${stsRegionFor(region)}.myhuaweicloud.com`,
      invoke: tables.functionGraph.get(region) ?? `functiongraph.${region}.myhuaweicloud.com`,
      auxiliary: { [IAM_ENDPOINT]: { host: tables.iam.get(region) ?? `iam.${region}.myhuaweicloud.com`, via: 'sts' } },
    };
  },
} as const satisfies ProviderEndpoints;
