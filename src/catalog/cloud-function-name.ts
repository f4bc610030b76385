import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** A deployed function reference after `AS 'name[:qualifier]'` was split. */
export interface CloudFunctionReference {
  readonly cloudFunction: string;
  readonly qualifier: string | null;
}

const MAX_REFERENCE_LENGTH = 256;
const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LAMBDA_ARN = /^arn:(?:aws|aws-cn|aws-us-gov):lambda:[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}:\d{12}:function:([A-Za-z0-9_-]{1,64})$/;
const LAMBDA_QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const FC_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const FC_QUALIFIER = /^[A-Za-z0-9_-]{1,128}$/;
const SCF_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const SCF_QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;

const RULES: Readonly<Record<ProviderName, { readonly name: string; readonly qualifier: string }>> = {
  aws: {
    name: 'a Lambda function name (1-64 characters of [A-Za-z0-9_-]) or function ARN (arn:<partition>:lambda:<region>:<account>:function:<name>)',
    qualifier: "'$LATEST' or a version/alias of 1-128 [A-Za-z0-9_-]",
  },
  aliyun: {
    name: 'an FC 3.0 function name (1-128 characters of [A-Za-z0-9_-], starting with a letter or underscore)',
    qualifier: "'LATEST', a version number or an alias of 1-128 [A-Za-z0-9_-]",
  },
  tencent: {
    name: 'an SCF function name (2-60 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit)',
    qualifier: "'$LATEST', a version number or an alias of 1-128 [A-Za-z0-9_-]",
  },
};

/**
 * Splits `AS '…'` text into function and qualifier. A Lambda ARN has six colons of its own, so only a
 * seventh starts the qualifier; any other name splits at its first colon.
 */
export function splitCloudFunctionReference(reference: string, location?: ErrorLocation): CloudFunctionReference {
  checkPlainText(reference, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: MAX_REFERENCE_LENGTH, location });
  const parts = reference.split(':');
  const nameParts = reference.startsWith('arn:') ? 7 : 1;
  if (parts.length <= nameParts) return { cloudFunction: reference, qualifier: null };
  return { cloudFunction: parts.slice(0, nameParts).join(':'), qualifier: parts.slice(nameParts).join(':') };
}

/**
 * Checks a cloud function name and qualifier against the provider's naming rules (Lambda, FC 3.0, SCF).
 * Called at CREATE EXTERNAL FUNCTION time, once the connection (and so the provider) is known.
 */
export function validateCloudFunctionName(provider: ProviderName, name: string, qualifier: string | null, location?: ErrorLocation): CloudFunctionReference {
  checkPlainText(name, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: MAX_REFERENCE_LENGTH, location });
  if (!isValidName(provider, name)) {
    throw fieldError('E_INVALID_FUNCTION', 'AS', `cloud function ${quoteValue(name)} is not ${RULES[provider].name}`, location);
  }
  if (qualifier !== null) {
    checkPlainText(qualifier, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: 128, location });
    const pattern = provider === 'aws' ? LAMBDA_QUALIFIER : provider === 'aliyun' ? FC_QUALIFIER : SCF_QUALIFIER;
    if (!pattern.test(qualifier)) {
      throw fieldError('E_INVALID_FUNCTION', 'AS', `qualifier ${quoteValue(qualifier)} of cloud function ${quoteValue(name)} is not ${RULES[provider].qualifier}`, location);
    }
  }
  return { cloudFunction: name, qualifier };
}

function isValidName(provider: ProviderName, name: string): boolean {
  switch (provider) {
    case 'aws':
      return LAMBDA_NAME.test(name) || LAMBDA_ARN.test(name);
    case 'aliyun':
      return FC_NAME.test(name);
    case 'tencent':
      return SCF_NAME.test(name);
  }
}
