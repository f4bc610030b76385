import { z } from 'zod';

const STRING_LIST = 'must be a string or a non-empty array of strings';
const stringList = z.union([z.string(), z.array(z.string()).min(1, { error: STRING_LIST })], { error: STRING_LIST });
const conditionScalar = z.union([z.string(), z.boolean(), z.number()], { error: 'must be a string, a boolean or a number' });
const VALUES = 'must be a value or a non-empty array of values';
const conditionValues = z.union([conditionScalar, z.array(conditionScalar).min(1, { error: VALUES })], { error: VALUES });

/** One statement as written (Action and Resource may be a single string, as in IAM). */
export const policyStatementSchema = z.strictObject({
  Sid: z.string({ error: 'must be a string' }).optional(),
  Effect: z.enum(['Allow', 'Deny'], { error: 'must be "Allow" or "Deny"' }),
  Action: stringList,
  Resource: stringList,
  Condition: z.record(z.string(), z.record(z.string(), conditionValues, { error: 'must be an object of condition keys' }), { error: 'must be an object of condition operators' }).optional(),
});

/** `{"Version": "1", "Statement": [...]}`; strict: unknown fields are errors. */
export const policyDocumentSchema = z.strictObject({
  Version: z.literal('1', { error: 'must be "1"' }),
  Statement: z.array(policyStatementSchema, { error: 'must be an array of statements' }).min(1, { error: 'must hold at least one statement' }),
});

/** A policy document as written and accepted by `validatePolicyDocument`. */
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyStatement = z.infer<typeof policyStatementSchema>;
export type ConditionValue = string | boolean | number;

/** The fields each object may hold, for did-you-mean on unknown ones. */
export const DOCUMENT_FIELDS = ['Version', 'Statement'] as const;
export const STATEMENT_FIELDS = ['Sid', 'Effect', 'Action', 'Resource', 'Condition'] as const;
