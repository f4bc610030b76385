/** The catalog's provider names (what users write in DDL). */
export const PROVIDER_NAMES = ['aliyun', 'tencent', 'aws'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Adapter ids (folders under providers/), one per provider name. */
export const ADAPTER_IDS = { aliyun: 'aliyun-fc', tencent: 'tencent-scf', aws: 'aws-lambda' } as const satisfies Record<ProviderName, string>;
export type AdapterId = (typeof ADAPTER_IDS)[ProviderName];

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}
