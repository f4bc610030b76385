import type { ProviderEndpoints } from '../../src/spec/provider-definition.ts';

/** Financial regions are served only on their regional domain; the nearby-access domain is for the others. */
const FINANCIAL_REGION_SUFFIX = '-fsi';

/**
 * Tencent Cloud API 3.0 hosts: the nearby-access domain (`scf.tencentcloudapi.com`, routed by `X-TC-Region`) for
 * ordinary regions, `scf.<region>.tencentcloudapi.com` for the financial ones (`ap-shanghai-fsi`…). The TC3
 * service name is the host's first label either way (`scf`, `sts`).
 */
export const TENCENT_ENDPOINTS = {
  apis: { sts: 'sts', invoke: 'scf' },
  async hosts({ region }) {
    const domain = region.endsWith(FINANCIAL_REGION_SUFFIX) ? `${region}.tencentcloudapi.com` : 'tencentcloudapi.com';
    return { sts: `sts.${domain}`, invoke: `scf.${domain}` };
  },
} as const satisfies ProviderEndpoints;
