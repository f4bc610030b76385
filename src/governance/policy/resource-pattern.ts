import { compileGlobTokens, matchGlob, QUESTION_MARK, STAR, type GlobMatcher } from './glob-pattern.ts';
import { decodeResourceNamePart, RESOURCE_NAME_PREFIX, RESOURCE_TYPES, type ResourceName, type ResourceType } from './resource-name.ts';

/**
 * A statement's Resource entry, compiled. `*` alone matches everything, account-wide requests (which carry no
 * resource) included; every other pattern has the LRN's four fields, `lrn:lakefn:<project>:<type>/<name>` (or
 * `lrn:lakefn:<project>:*` for every type and name), and each field is matched on its own: a wildcard never crosses
 * a `:` or the type's `/`, so `lrn:lakefn:prod*:…` cannot reach into the type, and `*` in a name field cannot make
 * `function/x` match `connection/x`. Names are compared decoded (see resource-name.ts for the escaping).
 */
export type ResourcePattern =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'scoped';
      readonly project: GlobMatcher;
      /** The resource types the type field matches (and can reach given the project field). */
      readonly types: readonly ResourceType[];
      /** `types` as bits of TYPE_BITS, for a one-instruction test at evaluation. */
      readonly typeMask: number;
      readonly name: GlobMatcher;
    };

const TYPE_BITS: Readonly<Record<ResourceType, number>> = { project: 1, connection: 2, function: 4, package: 8 };

function fieldTokens(field: string): { tokens: number[]; problem: string | undefined } {
  const tokens: number[] = [];
  const problem = decodeResourceNamePart(field, true, (codePoint, raw) => {
    tokens.push(raw && codePoint === 0x2a ? STAR : raw && codePoint === 0x3f ? QUESTION_MARK : codePoint);
  });
  return { tokens, problem };
}

const SHAPE = 'expected "*", lrn:lakefn:<project>:<type>/<name> or lrn:lakefn:<project>:* (wildcards * and ? in any field; lrn:lakefn::project/<name> for projects)';

/** Compiles one Resource entry, or says what is wrong with it (the message names no JSON path). */
export function compileResourcePattern(text: string): ResourcePattern | { readonly problem: string } {
  if (text === '*') return { kind: 'all' };
  if (!text.startsWith(RESOURCE_NAME_PREFIX)) return { problem: `does not start with ${RESOURCE_NAME_PREFIX}: ${SHAPE}` };
  const fields = text.slice(RESOURCE_NAME_PREFIX.length).split(':');
  if (fields.length !== 2) return { problem: `has ${fields.length + 2} ':'-separated fields instead of 4 (a ':' in a name is written %3A): ${SHAPE}` };
  const [projectField = '', resourceField = ''] = fields;
  const project = fieldTokens(projectField);
  if (project.problem !== undefined) return { problem: `project field ${project.problem}` };
  const slash = resourceField.indexOf('/');
  let typeField: string;
  let nameField: string;
  if (slash < 0) {
    if (resourceField !== '*') return { problem: `has no <type>/<name> part: ${SHAPE}` };
    typeField = '*';
    nameField = '*';
  } else {
    typeField = resourceField.slice(0, slash);
    nameField = resourceField.slice(slash + 1);
  }
  const type = fieldTokens(typeField);
  if (type.problem !== undefined) return { problem: `type field ${type.problem}` };
  const name = fieldTokens(nameField);
  if (name.problem !== undefined) return { problem: `name field ${name.problem}` };
  if (name.tokens.length === 0) return { problem: 'has an empty name field (use * for every name)' };
  const typeMatcher = compileGlobTokens(type.tokens);
  const types = RESOURCE_TYPES.filter((candidate) => matchGlob(typeMatcher, candidate));
  if (types.length === 0) return { problem: `type ${JSON.stringify(typeField)} matches no resource type (${RESOURCE_TYPES.join(', ')})` };
  const projectMatcher = compileGlobTokens(project.tokens);
  const matchesEmptyProject = matchGlob(projectMatcher, '');
  const reachable = types.filter((candidate) => (candidate === 'project' ? matchesEmptyProject : projectField !== ''));
  if (reachable.length === 0) {
    return {
      problem: types.includes('project')
        ? 'names a project inside a project: a project is lrn:lakefn::project/<name> (empty project field)'
        : `names ${types.join(' or ')} resources with an empty project field: write lrn:lakefn:<project>:${typeField}/<name>`,
    };
  }
  const typeMask = reachable.reduce((mask, type) => mask | TYPE_BITS[type], 0);
  return { kind: 'scoped', project: projectMatcher, types: reachable, typeMask, name: compileGlobTokens(name.tokens) };
}

/** Whether a compiled pattern matches a request's resource (`undefined` = an account-wide request). */
export function matchResourcePattern(pattern: ResourcePattern, resource: ResourceName | undefined): boolean {
  if (pattern.kind === 'all') return true;
  if (resource === undefined) return false;
  return (pattern.typeMask & TYPE_BITS[resource.type]) !== 0 && matchGlob(pattern.name, resource.name) && matchGlob(pattern.project, resource.project);
}
