import { NAMESPACE_LABEL_RULE } from '../../src/provider-utils/namespace-label.ts';
import type { ParsedRoleArn, ProviderCatalogRules } from '../../src/spec/provider-definition.ts';

/** Regions FC 3.0 is offered in, as of 2025 (a new one needs `--allow-unknown-region`, not a release). */
const KNOWN_REGIONS = [
  'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu', 'cn-hangzhou', 'cn-shanghai',
  'cn-nanjing', 'cn-fuzhou', 'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-wuhan-lr', 'cn-hongkong',
  'cn-shanghai-finance-1', 'cn-shenzhen-finance-1', 'cn-beijing-finance-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-6',
  'ap-southeast-7', 'ap-south-1', 'us-east-1', 'us-west-1', 'eu-west-1', 'eu-central-1', 'me-east-1',
  'me-central-1', 'na-south-1',
];

// Anchored; the repeated classes are followed by literals they cannot contain (linear-time).
const ALIYUN_ROLE_ARN = /^acs:ram::(\d{12,20}):role\/([A-Za-z0-9._-]{1,64})$/;

export function parseAliyunRoleArn(roleArn: string): ParsedRoleArn | undefined {
  const match = ALIYUN_ROLE_ARN.exec(roleArn);
  return match === null ? undefined : { accountId: match[1] ?? '', roleName: match[2] ?? '' };
}

const OSS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const FC_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const FC_QUALIFIER = /^[A-Za-z0-9_-]{1,128}$/;

export const ALIYUN_CATALOG_RULES: ProviderCatalogRules = {
  regions: { known: KNOWN_REGIONS, pattern: /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/, example: 'cn-shanghai' },
  roleArn: {
    description: 'an Alibaba Cloud RAM role ARN (expected acs:ram::<account uid, 12-20 digits>:role/<name of 1-64 [A-Za-z0-9._-]>)',
    parse: parseAliyunRoleArn,
    format: (role) => `acs:ram::${role.accountId}:role/${role.roleName}`,
  },
  // FC 3.0 has no function namespaces
  namespace: NAMESPACE_LABEL_RULE,
  codeBucket: {
    description: 'an OSS bucket name: 3-63 characters of [a-z0-9-], starting and ending with a letter or digit',
    minLength: 3,
    maxLength: 63,
    isValid: (bucket) => OSS_BUCKET.test(bucket),
  },
  functions: {
    nameDescription: 'an FC 3.0 function name (1-128 characters of [A-Za-z0-9_-], starting with a letter or underscore)',
    qualifierDescription: "'LATEST', a version number or an alias of 1-128 [A-Za-z0-9_-]",
    latestQualifier: 'LATEST',
    isValidName: (name) => FC_NAME.test(name),
    isValidQualifier: (qualifier) => FC_QUALIFIER.test(qualifier),
  },
};
