import { LakefnError, quoteValue } from '../../errors/index.ts';
import { POLICY_LIMITS } from './policy-limits.ts';

/** The kinds of object a resource name (LRN) can name. */
export const RESOURCE_TYPES = ['project', 'connection', 'function', 'package'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/**
 * A parsed resource name. `project` is the project holding the object, and `''` for a project itself
 * (`lrn:lakefn::project/<name>`). Names are the catalog's names exactly (case kept; a function's `schema.name`
 * whole), never escaped: escaping exists only in the text form.
 */
export interface ResourceName {
  readonly type: ResourceType;
  readonly project: string;
  readonly name: string;
}

/** The text form's fixed head. */
export const RESOURCE_NAME_PREFIX = 'lrn:lakefn:';

/**
 * Escaping in the text form. A name may contain anything a quoted identifier allows, so the characters that have a
 * meaning in an LRN or an LRN pattern are percent-encoded (as UTF-8 bytes, upper-case hex): `%` (the escape itself),
 * `:` (field separator), `/` (type/name separator), `*` and `?` (wildcards in patterns), and every control or space
 * character. Everything else, non-ASCII letters included, stays as it is. Consequences:
 * - the text form is injective: two different names never give the same LRN;
 * - a name never contains a raw `*` or `?`, so a name can never act as a wildcard, and `:` or `/` in a name can never
 *   shift fields: `lrn:lakefn:p:function/*` matches every function of `p`, while the function named `a*b` is written
 *   `lrn:lakefn:p:function/a%2Ab`, and a pattern matches that name literally only through `%2A`;
 * - matching compares decoded names, so `?` is one character of the name (not one byte of an escape).
 */
function mustEscape(codePoint: number): boolean {
  return codePoint <= 0x20 || codePoint === 0x7f || (codePoint >= 0x80 && codePoint <= 0x9f) || codePoint === 0x25 || codePoint === 0x3a || codePoint === 0x2f || codePoint === 0x2a || codePoint === 0x3f;
}

const UTF8 = new TextEncoder();

/** The escaped text of one name field (see `mustEscape`). */
export function escapeResourceNamePart(value: string): string {
  let escaped = '';
  for (const character of value) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (!mustEscape(codePoint)) {
      escaped += character;
      continue;
    }
    for (const byte of UTF8.encode(character)) escaped += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

function checkName(what: string, value: string): void {
  if (value.length === 0) throw new LakefnError('E_INVALID_ARGUMENT', `a resource name needs a non-empty ${what} name`);
  if (value.length > POLICY_LIMITS.objectNameLength) {
    throw new LakefnError('E_INVALID_ARGUMENT', `${what} name ${quoteValue(value)} is longer than ${POLICY_LIMITS.objectNameLength} characters`);
  }
}

/** `lrn:lakefn::project/<name>`. */
export function projectResource(name: string): ResourceName {
  checkName('project', name);
  return { type: 'project', project: '', name };
}

function projectScoped(type: Exclude<ResourceType, 'project'>, project: string, name: string): ResourceName {
  checkName('project', project);
  checkName(type, name);
  return { type, project, name };
}

/** `lrn:lakefn:<project>:connection/<name>`. */
export function connectionResource(project: string, name: string): ResourceName {
  return projectScoped('connection', project, name);
}

/** `lrn:lakefn:<project>:function/<name>` (`name` may be `schema.name`). */
export function functionResource(project: string, name: string): ResourceName {
  return projectScoped('function', project, name);
}

/** `lrn:lakefn:<project>:package/<name>` (the provider's project). */
export function packageResource(project: string, name: string): ResourceName {
  return projectScoped('package', project, name);
}

/** The text form, escaped: `lrn:lakefn:prod:function/my%3Afn`. */
export function formatResourceName(resource: ResourceName): string {
  return `${RESOURCE_NAME_PREFIX}${escapeResourceNamePart(resource.project)}:${resource.type}/${escapeResourceNamePart(resource.name)}`;
}

function invalid(text: string, problem: string): LakefnError {
  return new LakefnError('E_INVALID_ARGUMENT', `resource name ${quoteValue(text)} ${problem}; expected lrn:lakefn:<project>:<connection|function|package>/<name> or lrn:lakefn::project/<name>`);
}

/**
 * Decodes the `%XX` escapes of one field. `allowWildcards` lets a raw `*` / `?` through (patterns); `onCodePoint`
 * receives each decoded character with whether it was written raw. Returns a problem description, or undefined.
 */
export function decodeResourceNamePart(field: string, allowWildcards: boolean, onCodePoint: (codePoint: number, raw: boolean) => void): string | undefined {
  let index = 0;
  while (index < field.length) {
    const codePoint = field.codePointAt(index) ?? 0;
    if (codePoint !== 0x25) {
      if (mustEscape(codePoint) && !(allowWildcards && (codePoint === 0x2a || codePoint === 0x3f))) {
        return `has a raw ${quoteValue(String.fromCodePoint(codePoint))} in a name: write it as ${escapeResourceNamePart(String.fromCodePoint(codePoint))}`;
      }
      onCodePoint(codePoint, true);
      index += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const bytes: number[] = [];
    while (field.charCodeAt(index) === 0x25) {
      const hex = field.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `has a '%' not followed by two hexadecimal digits at character ${index + 1}`;
      bytes.push(Number.parseInt(hex, 16));
      index += 3;
    }
    let decoded: string;
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      return 'has percent-escapes that are not valid UTF-8';
    }
    for (const character of decoded) onCodePoint(character.codePointAt(0) ?? 0, false);
  }
  return undefined;
}

function decodeName(text: string, field: string, what: string): string {
  let decoded = '';
  const problem = decodeResourceNamePart(field, false, (codePoint) => {
    decoded += String.fromCodePoint(codePoint);
  });
  if (problem !== undefined) throw invalid(text, problem);
  if (decoded.length > POLICY_LIMITS.objectNameLength) throw invalid(text, `has a ${what} name longer than ${POLICY_LIMITS.objectNameLength} characters`);
  return decoded;
}

/** Parses the text form (the inverse of `formatResourceName`); throws LakefnError E_INVALID_ARGUMENT. */
export function parseResourceName(text: string): ResourceName {
  if (text.length > POLICY_LIMITS.resourceNameLength) throw invalid(text.slice(0, 80), `is longer than ${POLICY_LIMITS.resourceNameLength} characters`);
  if (!text.startsWith(RESOURCE_NAME_PREFIX)) throw invalid(text, `does not start with ${RESOURCE_NAME_PREFIX}`);
  const fields = text.slice(RESOURCE_NAME_PREFIX.length).split(':');
  if (fields.length !== 2) throw invalid(text, `has ${fields.length + 2} ':'-separated fields instead of 4 (a ':' in a name is written %3A)`);
  const [projectField = '', resourceField = ''] = fields;
  const slash = resourceField.indexOf('/');
  if (slash < 0) throw invalid(text, 'has no <type>/<name> part');
  const type = resourceField.slice(0, slash);
  if (!(RESOURCE_TYPES as readonly string[]).includes(type)) throw invalid(text, `has the unknown resource type ${quoteValue(type)}`);
  const resourceType = type as ResourceType;
  const project = decodeName(text, projectField, 'project');
  const name = decodeName(text, resourceField.slice(slash + 1), resourceType);
  if (name.length === 0) throw invalid(text, 'has an empty name');
  if (resourceType === 'project' && project !== '') throw invalid(text, 'names a project inside a project (a project is lrn:lakefn::project/<name>)');
  if (resourceType !== 'project' && project === '') throw invalid(text, `names a ${resourceType} outside any project`);
  return { type: resourceType, project, name };
}
