/** A JSON value as policy documents contain them (plain data, ready for JSON.stringify). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** An IAM / RAM / CAM policy document in the provider's own JSON format. */
export type PolicyDocument = { readonly [key: string]: JsonValue };
