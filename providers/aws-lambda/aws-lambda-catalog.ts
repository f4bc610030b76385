import { quoteValue } from '../../src/errors/index.ts';
import { NAMESPACE_LABEL_RULE } from '../../src/provider-utils/namespace-label.ts';
import type { EndpointTarget, ParsedRoleArn, ProviderCatalogRules, ProviderPartitions } from '../../src/spec/provider-definition.ts';

/**
 * AWS's account spaces. Accounts and keys of one do not exist in another, so each needs its own broker identity
 * (`LAKEFN_AWS_CN_*`, `LAKEFN_AWS_US_GOV_*`). The region rule is the SDK's own (`@aws-sdk/core` partitions.json:
 * `^cn\-\w+\-\d+$`, `^us\-gov\-\w+\-\d+$`); test/providers/aws-partitions.test.ts checks them against each other.
 */
export const AWS_PARTITIONS: ProviderPartitions = {
  list: [
    { id: 'aws', environmentInfix: '' },
    { id: 'aws-cn', environmentInfix: 'CN' },
    { id: 'aws-us-gov', environmentInfix: 'US_GOV' },
  ],
  ofRegion: awsPartitionOfRegion,
};

/** The partition of a region: `cn-*` ⇒ aws-cn, `us-gov-*` ⇒ aws-us-gov, else aws. */
export function awsPartitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Regions Lambda is offered in, as of 2025 (a new one needs `--allow-unknown-region`, not a release). */
const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-1',
  'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2',
  'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
  'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1',
];

const MAX_AWS_ROLE_PATH_LENGTH = 512;
// Each pattern is anchored, and every repeated class is followed by a literal it cannot contain, so a match attempt
// is linear in the input; inputs are length-checked before any of them runs.
const AWS_ROLE_ARN_HEAD = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\//;
const AWS_ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const AWS_PATH_SEGMENT = /^[\x21-\x2e\x30-\x7e]+$/;

/** AWS role ARNs may carry a path (`role/a/b/name`): split on `/` instead of one regex over the whole path. */
export function parseAwsRoleArn(roleArn: string): ParsedRoleArn | undefined {
  const head = AWS_ROLE_ARN_HEAD.exec(roleArn);
  if (head === null) return undefined;
  const segments = roleArn.slice(head[0].length).split('/');
  const roleName = segments.pop() ?? '';
  const pathLength = segments.reduce((total, segment) => total + segment.length + 1, 1);
  if (!AWS_ROLE_NAME.test(roleName) || pathLength > MAX_AWS_ROLE_PATH_LENGTH) return undefined;
  if (!segments.every((segment) => AWS_PATH_SEGMENT.test(segment))) return undefined;
  return { accountId: head[2] ?? '', roleName, partition: head[1] };
}

const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LAMBDA_ARN = /^arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}):(\d{12}):function:([A-Za-z0-9_-]{1,64})$/;
const LAMBDA_QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;

/**
 * A function ARN names its own partition, region and account; lakefn only invokes functions where the connection's
 * role lives (a cross-account ARN would run another account's code with the customer's rows and credentials).
 */
export function checkLambdaTarget(name: string, connection: EndpointTarget): string | undefined {
  const arn = LAMBDA_ARN.exec(name);
  const role = parseAwsRoleArn(connection.roleArn);
  if (arn === null || role === undefined) return undefined;
  const [, partition = '', region = '', accountId = ''] = arn;
  if (partition === role.partition && region === connection.region && accountId === role.accountId) return undefined;
  return (
    `function ARN ${quoteValue(name, 160)} is in partition ${partition}, region ${region}, account ${accountId}, but the connection's role is in ` +
    `partition ${role.partition ?? 'aws'}, region ${connection.region}, account ${role.accountId}; lakefn invokes only functions of the connection's account ` +
    'and region (give the function name, or an ARN in that account and region)'
  );
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export const AWS_CATALOG_RULES: ProviderCatalogRules = {
  regions: { known: KNOWN_REGIONS, pattern: /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}$/, example: 'us-east-1' },
  roleArn: {
    description: 'an AWS role ARN (expected arn:aws|aws-cn|aws-us-gov:iam::<12 digits>:role/[path/]<name of 1-64 [A-Za-z0-9+=,.@_-]>)',
    parse: parseAwsRoleArn,
    format: (role) => `arn:${role.partition ?? 'aws'}:iam::${role.accountId}:role/${role.roleName}`,
  },
  // Lambda has no function namespaces
  namespace: NAMESPACE_LABEL_RULE,
  codeBucket: {
    description:
      'an S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit, no "..", not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
    minLength: 3,
    maxLength: 63,
    isValid: (bucket) =>
      S3_BUCKET.test(bucket) &&
      !bucket.includes('..') &&
      !IPV4_ADDRESS.test(bucket) &&
      !S3_RESERVED_PREFIXES.some((prefix) => bucket.startsWith(prefix)) &&
      !S3_RESERVED_SUFFIXES.some((suffix) => bucket.endsWith(suffix)),
  },
  functions: {
    nameDescription: 'a Lambda function name (1-64 characters of [A-Za-z0-9_-]) or function ARN (arn:<partition>:lambda:<region>:<account>:function:<name>)',
    qualifierDescription: "'$LATEST' or a version/alias of 1-128 [A-Za-z0-9_-]",
    latestQualifier: '$LATEST',
    isValidName: (name) => LAMBDA_NAME.test(name) || LAMBDA_ARN.test(name),
    isValidQualifier: (qualifier) => LAMBDA_QUALIFIER.test(qualifier),
    // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
    qualifiedReference: { prefix: 'arn:', parts: 7 },
    checkTarget: checkLambdaTarget,
  },
};
