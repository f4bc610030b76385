import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { fieldError } from './field-error.ts';
import { PROVIDER_TITLES } from './provider.ts';
import { checkPlainText } from './text-rules.ts';

/**
 * Regions each provider's function service is offered in (FC 3.0, SCF, Lambda), as of 2025. A region
 * missing here is refused unless the caller passes `allowUnknownRegion` (a new region should not need a
 * release, but a typo should not silently create a connection that can never work).
 */
export const KNOWN_REGIONS: Readonly<Record<ProviderName, ReadonlySet<string>>> = {
  aliyun: new Set([
    'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu', 'cn-hangzhou', 'cn-shanghai',
    'cn-nanjing', 'cn-fuzhou', 'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-wuhan-lr', 'cn-hongkong',
    'cn-shanghai-finance-1', 'cn-shenzhen-finance-1', 'cn-beijing-finance-1',
    'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-6',
    'ap-southeast-7', 'ap-south-1', 'us-east-1', 'us-west-1', 'eu-west-1', 'eu-central-1', 'me-east-1',
    'me-central-1', 'na-south-1',
  ]),
  tencent: new Set([
    'ap-guangzhou', 'ap-shanghai', 'ap-nanjing', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-hongkong',
    'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-beijing-fsi', 'ap-singapore', 'ap-bangkok', 'ap-jakarta', 'ap-seoul',
    'ap-tokyo', 'ap-mumbai', 'na-siliconvalley', 'na-ashburn', 'eu-frankfurt', 'sa-saopaulo',
  ]),
  aws: new Set([
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1',
    'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
    'ap-southeast-6', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1',
    'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2',
    'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
    'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1',
  ]),
};

/** Region syntax per provider (governance §6.11). Each is anchored and quantifiers are never nested on overlapping classes. */
const REGION_SYNTAX: Readonly<Record<ProviderName, { readonly pattern: RegExp; readonly example: string }>> = {
  aliyun: { pattern: /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/, example: 'cn-shanghai' },
  tencent: { pattern: /^[a-z]{2}-[a-z]+(?:-fsi)?$/, example: 'ap-beijing' },
  aws: { pattern: /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}$/, example: 'us-east-1' },
};

const MAX_REGION_LENGTH = 32;

/** Checks a region's syntax for the provider and, unless `allowUnknownRegion`, that the provider offers it. */
export function validateRegion(provider: ProviderName, region: string, allowUnknownRegion: boolean, location?: ErrorLocation): string {
  checkPlainText(region, { field: 'REGION', code: 'E_INVALID_REGION', maxLength: MAX_REGION_LENGTH, location });
  const syntax = REGION_SYNTAX[provider];
  if (!syntax.pattern.test(region)) {
    throw fieldError('E_INVALID_REGION', 'REGION', `REGION ${quoteValue(region)} is not a valid ${PROVIDER_TITLES[provider]} region id (expected lower-case like '${syntax.example}', pattern ${syntax.pattern.source})`, location);
  }
  if (!allowUnknownRegion && !KNOWN_REGIONS[provider].has(region)) {
    throw fieldError('E_INVALID_REGION', 'REGION', `REGION ${quoteValue(region)} is not a known ${PROVIDER_TITLES[provider]} region (known: ${[...KNOWN_REGIONS[provider]].join(', ')}); if it is new, pass --allow-unknown-region`, location);
  }
  return region;
}

/** The AWS partition a region belongs to: `cn-*` ⇒ aws-cn, `us-gov-*` ⇒ aws-us-gov, else aws. */
export function awsPartitionOfRegion(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
