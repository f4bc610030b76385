/** RFC 3986 encoding as the SDK signers do it: encodeURIComponent plus `!'()*`. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decoded `[key, value]` pairs of a raw query string, or undefined when an escape is malformed. */
export function parseQuery(rawQuery: string, plusIsSpace: boolean): [string, string][] | undefined {
  if (rawQuery === '') return [];
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const separator = part.indexOf('=');
    const rawKey = separator === -1 ? part : part.slice(0, separator);
    const rawValue = separator === -1 ? '' : part.slice(separator + 1);
    try {
      pairs.push([decode(rawKey, plusIsSpace), decode(rawValue, plusIsSpace)]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

function decode(value: string, plusIsSpace: boolean): string {
  return decodeURIComponent(plusIsSpace ? value.replaceAll('+', ' ') : value);
}

/** A header's value as one string (Node joins repeated headers with ", "). */
export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `Key=Value, Key=Value` fields after an algorithm name in an Authorization header (`,` or `, ` separated). */
export function parseAuthorizationFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    const separator = trimmed.indexOf('=');
    if (separator > 0) fields.set(trimmed.slice(0, separator), trimmed.slice(separator + 1));
  }
  return fields;
}
