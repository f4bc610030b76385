import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const OSS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const COS_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const COS_APPID = /^\d{5,20}$/;

const RULES: Readonly<Record<ProviderName, string>> = {
  aws: 'an S3 bucket name: 3-63 characters of [a-z0-9.-], starting and ending with a letter or digit, no "..", not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
  aliyun: 'an OSS bucket name: 3-63 characters of [a-z0-9-], starting and ending with a letter or digit',
  tencent: 'a COS bucket name <name>-<APPID>: name of 1-50 [a-z0-9-] starting and ending with a letter or digit, APPID of 5-20 digits (e.g. myfunction-1310000000)',
};

/** Validates the code bucket by the provider's object-storage naming rules (S3, OSS, COS). */
export function validateCodeBucket(provider: ProviderName, bucket: string, location?: ErrorLocation): string {
  checkPlainText(bucket, { field: 'CODE_BUCKET', code: 'E_INVALID_CODE_BUCKET', maxLength: provider === 'tencent' ? 71 : 63, minLength: provider === 'tencent' ? 7 : 3, location });
  if (!isValidBucket(provider, bucket)) {
    throw fieldError('E_INVALID_CODE_BUCKET', 'CODE_BUCKET', `CODE_BUCKET ${quoteValue(bucket)} is not ${RULES[provider]}`, location);
  }
  return bucket;
}

function isValidBucket(provider: ProviderName, bucket: string): boolean {
  switch (provider) {
    case 'aws':
      return S3_BUCKET.test(bucket) && !bucket.includes('..') && !IPV4_ADDRESS.test(bucket)
        && !S3_RESERVED_PREFIXES.some((prefix) => bucket.startsWith(prefix))
        && !S3_RESERVED_SUFFIXES.some((suffix) => bucket.endsWith(suffix));
    case 'aliyun':
      return OSS_BUCKET.test(bucket);
    case 'tencent': {
      // The APPID is everything after the last '-', so the split is unambiguous and needs no backtracking.
      const dash = bucket.lastIndexOf('-');
      return dash > 0 && COS_NAME.test(bucket.slice(0, dash)) && COS_APPID.test(bucket.slice(dash + 1));
    }
  }
}

/** The APPID suffix of a COS bucket (`myfunction-1310000000` → `1310000000`). */
export function cosAppIdOfBucket(bucket: string): string {
  return bucket.slice(bucket.lastIndexOf('-') + 1);
}
