import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** A role ARN taken apart: the customer account that owns the role, and (AWS only) its partition. */
export interface ParsedRoleArn {
  readonly accountId: string;
  readonly roleName: string;
  readonly partition: AwsPartition | null;
}

const MAX_ROLE_ARN_LENGTH = 2048;
const MAX_AWS_ROLE_PATH_LENGTH = 512;

// Each pattern is anchored, and every repeated class is followed by a literal it cannot contain, so a match
// attempt is linear in the input; inputs are length-checked before any of them runs.
const ALIYUN_ROLE_ARN = /^acs:ram::(\d{12,20}):role\/([A-Za-z0-9._-]{1,64})$/;
const TENCENT_ROLE_ARN = /^qcs::cam::uin\/(\d{5,20}):roleName\/([\w+=,.@-]{1,128})$/;
const AWS_ROLE_ARN_HEAD = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\//;
const AWS_ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const AWS_PATH_SEGMENT = /^[\x21-\x2e\x30-\x7e]+$/;

const EXPECTED: Readonly<Record<ProviderName, string>> = {
  aliyun: 'an Alibaba Cloud RAM role ARN (expected acs:ram::<account uid, 12-20 digits>:role/<name of 1-64 [A-Za-z0-9._-]>)',
  tencent: 'a Tencent Cloud CAM role ARN (expected qcs::cam::uin/<uin, 5-20 digits>:roleName/<name of 1-128 [A-Za-z0-9_+=,.@-]>)',
  aws: 'an AWS role ARN (expected arn:aws|aws-cn|aws-us-gov:iam::<12 digits>:role/[path/]<name of 1-64 [A-Za-z0-9+=,.@_-]>)',
};

/** Parses and validates a role ARN for the provider; throws E_INVALID_ROLE_ARN naming the expected form. */
export function parseRoleArn(provider: ProviderName, roleArn: string, location?: ErrorLocation): ParsedRoleArn {
  checkPlainText(roleArn, { field: 'ROLE_ARN', code: 'E_INVALID_ROLE_ARN', maxLength: MAX_ROLE_ARN_LENGTH, location });
  const parsed = provider === 'aws' ? parseAwsRoleArn(roleArn) : parseSimpleRoleArn(provider === 'aliyun' ? ALIYUN_ROLE_ARN : TENCENT_ROLE_ARN, roleArn);
  if (parsed === null) {
    throw fieldError('E_INVALID_ROLE_ARN', 'ROLE_ARN', `ROLE_ARN ${quoteValue(roleArn)} is not ${EXPECTED[provider]}`, location);
  }
  return parsed;
}

/** The customer's account id (Aliyun UID, Tencent UIN, AWS account) from a role ARN. */
export function accountIdFromRoleArn(provider: ProviderName, roleArn: string): string {
  return parseRoleArn(provider, roleArn).accountId;
}

function parseSimpleRoleArn(pattern: RegExp, roleArn: string): ParsedRoleArn | null {
  const match = pattern.exec(roleArn);
  if (match === null) return null;
  return { accountId: match[1] ?? '', roleName: match[2] ?? '', partition: null };
}

/** AWS role ARNs may carry a path (`role/a/b/name`): split on `/` instead of one regex over the whole path. */
function parseAwsRoleArn(roleArn: string): ParsedRoleArn | null {
  const head = AWS_ROLE_ARN_HEAD.exec(roleArn);
  if (head === null) return null;
  const segments = roleArn.slice(head[0].length).split('/');
  const roleName = segments.pop() ?? '';
  const pathLength = segments.reduce((total, segment) => total + segment.length + 1, 1);
  if (!AWS_ROLE_NAME.test(roleName) || pathLength > MAX_AWS_ROLE_PATH_LENGTH) return null;
  if (!segments.every((segment) => AWS_PATH_SEGMENT.test(segment))) return null;
  return { accountId: head[2] ?? '', roleName, partition: head[1] as AwsPartition };
}
