import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { providerDefinition } from '../registry/providers.ts';
import type { ConnectionFields } from '../spec/connection-record.ts';
import { validateCodeBucket } from './code-bucket.ts';
import { fieldError } from './field-error.ts';
import { validateNamespace } from './namespace.ts';
import { parseProvider } from './provider.ts';
import { validateRegion } from './regions.ts';
import { parseRoleArn } from './role-arn.ts';
import { checkPlainText } from './text-rules.ts';

/** Longest COMMENT accepted on a connection or function. */
export const MAX_COMMENT_LENGTH = 1024;

export interface ConnectionValidationOptions {
  /** Accept a syntactically valid region missing from the known-region list. @default false */
  readonly allowUnknownRegion?: boolean;
  /** Attached to every error, e.g. the statement's line and column. */
  readonly location?: ErrorLocation;
  /** Per-field positions (the value tokens in the DDL), preferred over `location` for that field. */
  readonly fieldLocations?: Partial<Record<keyof ConnectionFields, ErrorLocation>>;
}

/**
 * Validates a complete connection (what CREATE builds, or what ALTER … SET produces once merged with the
 * stored record) and returns it normalised (provider lower-case). Throws the first `E_INVALID_<FIELD>`.
 */
export function validateConnectionFields(fields: ConnectionFields, options: ConnectionValidationOptions = {}): ConnectionFields {
  const at = (field: keyof ConnectionFields): ErrorLocation | undefined => options.fieldLocations?.[field] ?? options.location;
  const provider = parseProvider(fields.provider, at('provider'));
  const region = validateRegion(provider, fields.region, options.allowUnknownRegion ?? false, at('region'));
  const roleArn = parseRoleArn(provider, fields.roleArn, at('roleArn'));
  // a role lives in one partition (account space); the region must be in the same one
  const { broker, catalog } = providerDefinition(provider);
  const expected = broker.partitions?.ofRegion(region);
  if (roleArn.partition !== undefined && expected !== undefined && roleArn.partition !== expected) {
    throw fieldError(
      'E_INVALID_ROLE_ARN',
      'ROLE_ARN',
      `ROLE_ARN ${quoteValue(fields.roleArn)} is in partition '${roleArn.partition}' but REGION '${region}' belongs to partition '${expected}' (use ${quoteValue(catalog.roleArn.format({ ...roleArn, partition: expected }), 200)})`,
      at('roleArn'),
    );
  }
  return {
    provider,
    region,
    roleArn: fields.roleArn,
    namespace: validateNamespace(provider, fields.namespace, at('namespace')),
    codeBucket: fields.codeBucket === null ? null : validateCodeBucket(provider, fields.codeBucket, at('codeBucket')),
    comment: fields.comment === null ? null : validateComment(fields.comment, at('comment')),
  };
}

/** A COMMENT: 1..1024 characters, no control characters (so not multi-line), no surrounding whitespace. */
export function validateComment(comment: string, location?: ErrorLocation): string {
  return checkPlainText(comment, { field: 'COMMENT', code: 'E_INVALID_COMMENT', maxLength: MAX_COMMENT_LENGTH, location });
}
