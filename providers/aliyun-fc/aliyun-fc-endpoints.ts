import type * as StsSdk from '@alicloud/sts20150401';
import type { ProviderEndpoints } from '../../src/spec/provider-definition.ts';
import { parseAliyunRoleArn } from './aliyun-fc-catalog.ts';

type StsClientClass = typeof StsSdk.default.default;
/** A dynamic import of @alicloud/sts20150401, as Node or tsx hands it over. */
type StsModule = { readonly default: StsClientClass | { readonly default: StsClientClass } };

/** Where @alicloud/sts20150401 sends a region it has no entry for: the central endpoint. */
const CENTRAL_STS_HOST = 'sts.aliyuncs.com';
const MAX_CACHED_REGIONS = 256;
const stsHosts = new Map<string, string>();

/**
 * FC 3.0 is served per account and region (`<account uid>.<region>.fc.aliyuncs.com`, the FC 3.0 API reference's
 * endpoint); STS where the STS SDK itself would send the region: its endpoint map (some regions, such as
 * `ap-south-1`, go to the central `sts.aliyuncs.com`), else its regional rule `sts.<region>.aliyuncs.com`.
 */
export const ALIYUN_ENDPOINTS = {
  apis: { sts: 'sts', invoke: 'fc' },
  async hosts({ region, roleArn }) {
    const role = parseAliyunRoleArn(roleArn);
    if (role === undefined) return undefined;
    return { sts: await stsHost(region), invoke: `${role.accountId}.${region}.fc.aliyuncs.com` };
  },
} as const satisfies ProviderEndpoints;

/** The STS SDK's own endpoint for a region, read from a client it builds (memoized: the map never changes at run time). */
async function stsHost(region: string): Promise<string> {
  const known = stsHosts.get(region);
  if (known !== undefined) return known;
  const [sdk, { $OpenApiUtil }] = await Promise.all([import('@alicloud/sts20150401') as Promise<unknown> as Promise<StsModule>, import('@alicloud/openapi-core')]);
  // Node hands a CommonJS module's `exports` over as `default` (the client class is `exports.default`); tsx's loader
  // unwraps it to the class itself.
  const StsClient = 'default' in sdk.default ? sdk.default.default : sdk.default;
  // Placeholder keys keep the client off the default credential chain; nothing is sent.
  const client = new StsClient(new $OpenApiUtil.Config({ regionId: region, accessKeyId: 'endpoint-lookup', accessKeySecret: 'endpoint-lookup' }));
  // typed as a string, but the SDK leaves it unset when its rules give nothing: then the central endpoint
  const resolved: unknown = client._endpoint;
  const host = typeof resolved === 'string' && resolved !== '' ? resolved : CENTRAL_STS_HOST;
  if (stsHosts.size >= MAX_CACHED_REGIONS) stsHosts.clear();
  stsHosts.set(region, host);
  return host;
}
