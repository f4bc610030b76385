import { quoteValue } from '../../src/errors/index.ts';
import type { EndpointTarget, ParsedRoleArn, ProviderCatalogRules } from '../../src/spec/provider-definition.ts';

/**
 * Regions FunctionGraph is offered in: the region list of the vendor SDK (`FunctionGraphRegion` of
 * @huaweicloud/huaweicloud-sdk-functiongraph 3.1.211), written out so that catalog commands do not load the SDK; a test
 * checks it against the SDK's table, which the endpoints read their hosts from. A new one needs
 * `--allow-unknown-region`, not a release.
 */
export const FUNCTIONGRAPH_REGIONS = [
  'cn-north-1', 'cn-north-4', 'cn-north-9', 'cn-north-11', 'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-south-1',
  'cn-south-4', 'cn-southwest-2', 'cn-southwest-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'af-south-1', 'sa-brazil-1', 'la-south-2', 'la-north-2', 'na-mexico-1',
  'tr-west-1', 'me-east-1', 'ae-ad-1', 'my-kualalumpur-1', 'eu-west-101', 'ru-moscow-1',
] as const;

/**
 * A trust agency's URN, the connection's ROLE_ARN: `iam::<account id>:agency:<agency name>` (IAM 5.0 URNs,
 * support.huaweicloud.com/usermanual-iam5/iam_01_1275.html). The account id is the domain ID: 32 hex characters in
 * practice, shorter in the documentation's examples, so only the alphabet and an upper bound are enforced. Agency
 * names: 1-64 of [A-Za-z0-9_+=,.@-] (CreateAgencyV5). Anchored, linear-time.
 */
const AGENCY_URN = /^iam::([0-9a-f]{1,64}):agency:([A-Za-z0-9_+=,.@-]{1,64})$/;

export function parseAgencyUrn(urn: string): ParsedRoleArn | undefined {
  const match = AGENCY_URN.exec(urn);
  return match === null ? undefined : { accountId: match[1] ?? '', roleName: match[2] ?? '' };
}

/** FunctionGraph function names: 1-60 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit. */
const FUNCTION_NAME = /^[A-Za-z](?:[A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;
/** A package (lakefn's NAMESPACE): the same alphabet (the service's own rule is not documented; `default` always exists). */
const PACKAGE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A project id: 32 letters or digits (FunctionGraph API reference, InvokeFunction path parameters). */
export const PROJECT_ID = /^[A-Za-z0-9]{32}$/;
/** `urn:fss:<region>:<project id>:function:<package>:<name>`, without a version or alias (lakefn splits those off). */
const FUNCTION_URN = /^urn:fss:([a-z]{2}-[a-z]+-\d{1,3}):([A-Za-z0-9]{32}):function:([A-Za-z0-9_-]{1,64}):([A-Za-z][A-Za-z0-9_-]{0,59})$/;
/** `latest`, a published version, or `!<alias>` (an alias has a function name's rules, up to 64 characters). */
const QUALIFIER = /^(?:latest|[A-Za-z0-9][A-Za-z0-9_.-]{0,63}|![A-Za-z](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?)$/;

/** A function URN taken apart. */
export interface FunctionUrn {
  readonly region: string;
  readonly projectId: string;
  readonly packageName: string;
  readonly name: string;
}

export function parseFunctionUrn(reference: string): FunctionUrn | undefined {
  const match = FUNCTION_URN.exec(reference);
  if (match === null) return undefined;
  const [, region = '', projectId = '', packageName = '', name = ''] = match;
  return FUNCTION_NAME.test(name) ? { region, projectId, packageName, name } : undefined;
}

/** Whether a package name can stand in a function URN. */
export function isValidPackageName(packageName: string): boolean {
  return PACKAGE_NAME.test(packageName);
}

/**
 * A function URN names its region and project; a project belongs to one account and region, so lakefn invokes a URN
 * only in the connection's region (checked here, at CREATE) and project (checked by the adapter, once it knows the
 * project of the agency's account).
 */
export function checkFunctionUrnTarget(name: string, connection: EndpointTarget): string | undefined {
  const urn = parseFunctionUrn(name);
  if (urn === undefined || urn.region === connection.region) return undefined;
  return (
    `function URN ${quoteValue(name, 160)} is in region ${urn.region}, but the connection is in region ${connection.region}; ` +
    "lakefn invokes only functions of the connection's account and region (give the function name, or a URN of that region)"
  );
}

const OBS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export const HUAWEI_CATALOG_RULES: ProviderCatalogRules = {
  regions: { known: FUNCTIONGRAPH_REGIONS, pattern: /^[a-z]{2}-[a-z]+-\d{1,3}$/, example: 'cn-north-4' },
  roleArn: {
    description: 'a Huawei Cloud trust agency URN (expected iam::<account id, hex>:agency:<name of 1-64 [A-Za-z0-9_+=,.@-]>)',
    parse: parseAgencyUrn,
    format: (agency) => `iam::${agency.accountId}:agency:${agency.roleName}`,
  },
  // The FunctionGraph package (application) the functions live in; `default` exists in every project. The service's
  // own package name rule is not documented (README, "not yet confirmed"): a conservative subset of the function URN's
  // package alphabet, so that every accepted name also makes a valid URN.
  namespace: {
    required: false,
    description: 'a FunctionGraph package: 2-30 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit',
    maxLength: 30,
    pattern: /^[A-Za-z][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$/,
  },
  codeBucket: {
    description: 'an OBS bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit, no "..", ".-" or "-.", not an IP address',
    minLength: 3,
    maxLength: 63,
    isValid: (bucket) => OBS_BUCKET.test(bucket) && !bucket.includes('..') && !bucket.includes('.-') && !bucket.includes('-.') && !IPV4_ADDRESS.test(bucket),
  },
  functions: {
    nameDescription:
      'a FunctionGraph function name (1-60 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit) or a function URN urn:fss:<region>:<project id>:function:<package>:<name>',
    qualifierDescription: "'latest', a version of 1-64 [A-Za-z0-9_.-], or an alias written '!<alias>'",
    latestQualifier: 'latest',
    isValidName: (name) => FUNCTION_NAME.test(name) || parseFunctionUrn(name) !== undefined,
    isValidQualifier: (qualifier) => QUALIFIER.test(qualifier),
    // urn:fss:<region>:<project>:function:<package>:<name>[:<version>|:!<alias>]
    qualifiedReference: { prefix: 'urn:fss:', parts: 7 },
    checkTarget: checkFunctionUrnTarget,
  },
};
