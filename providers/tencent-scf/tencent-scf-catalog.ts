import type { ParsedRoleArn, ProviderCatalogRules } from '../../src/spec/provider-definition.ts';

/** Regions SCF is offered in, as of 2025 (a new one needs `--allow-unknown-region`, not a release). */
const KNOWN_REGIONS = [
  'ap-guangzhou', 'ap-shanghai', 'ap-nanjing', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-hongkong',
  'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-beijing-fsi', 'ap-singapore', 'ap-bangkok', 'ap-jakarta', 'ap-seoul',
  'ap-tokyo', 'ap-mumbai', 'na-siliconvalley', 'na-ashburn', 'eu-frankfurt', 'sa-saopaulo',
];

// Anchored; the repeated classes are followed by literals they cannot contain (linear-time).
const TENCENT_ROLE_ARN = /^qcs::cam::uin\/(\d{5,20}):roleName\/([\w+=,.@-]{1,128})$/;

export function parseTencentRoleArn(roleArn: string): ParsedRoleArn | undefined {
  const match = TENCENT_ROLE_ARN.exec(roleArn);
  return match === null ? undefined : { accountId: match[1] ?? '', roleName: match[2] ?? '' };
}

const COS_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const COS_APPID = /^\d{5,20}$/;
const SCF_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const SCF_QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;

/** The APPID suffix of a COS bucket (`myfunction-1310000000` → `1310000000`). */
export function cosAppIdOfBucket(bucket: string): string {
  return bucket.slice(bucket.lastIndexOf('-') + 1);
}

export const TENCENT_CATALOG_RULES: ProviderCatalogRules = {
  regions: { known: KNOWN_REGIONS, pattern: /^[a-z]{2}-[a-z]+(?:-fsi)?$/, example: 'ap-beijing' },
  roleArn: {
    description: 'a Tencent Cloud CAM role ARN (expected qcs::cam::uin/<uin, 5-20 digits>:roleName/<name of 1-128 [A-Za-z0-9_+=,.@-]>)',
    parse: parseTencentRoleArn,
    format: (role) => `qcs::cam::uin/${role.accountId}:roleName/${role.roleName}`,
  },
  // SCF's namespace rule (CreateNamespace: 2-30 characters of [A-Za-z0-9_-], letter first, letter or digit last)
  namespace: {
    required: true,
    hint: "Tencent Cloud SCF needs the function namespace, e.g. 'default'",
    description: 'an SCF namespace: 2-30 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit',
    maxLength: 30,
    pattern: /^[A-Za-z][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$/,
  },
  codeBucket: {
    description: 'a COS bucket name <name>-<APPID>: name of 1-50 [a-z0-9-] starting and ending with a letter or digit, APPID of 5-20 digits (e.g. myfunction-1310000000)',
    minLength: 7,
    maxLength: 71,
    isValid(bucket) {
      // The APPID is everything after the last '-', so the split is unambiguous and needs no backtracking.
      const dash = bucket.lastIndexOf('-');
      return dash > 0 && COS_NAME.test(bucket.slice(0, dash)) && COS_APPID.test(bucket.slice(dash + 1));
    },
  },
  functions: {
    nameDescription: 'an SCF function name (2-60 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit)',
    qualifierDescription: "'$LATEST', a version number or an alias of 1-128 [A-Za-z0-9_-]",
    latestQualifier: '$LATEST',
    isValidName: (name) => SCF_NAME.test(name),
    isValidQualifier: (qualifier) => SCF_QUALIFIER.test(qualifier),
  },
};
