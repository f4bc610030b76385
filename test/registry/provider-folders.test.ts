// The shape issue 14 asks for: every cloud's knowledge in its own folder behind one interface, the core naming none.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadMockProviders } from '../../mocks/providers/index.ts';
import { lookUpCode } from '../../src/provider-utils/index.ts';
import { PROVIDERS as LISTED } from '../../src/registry/providers.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';

const PROVIDERS: readonly ProviderDefinition[] = LISTED;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const folders = (directory: string): string[] =>
  readdirSync(join(ROOT, directory), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
const files = (directory: string): string[] => readdirSync(join(ROOT, directory)).sort();

/** Every file of a provider folder, named `<folder>-<role>.ts`, plus `index.ts`. */
const PROVIDER_FILE_ROLES = ['adapter', 'catalog', 'endpoints', 'error-facts', 'errors', 'http-invoke', 'invoke-result', 'policies'];
/** What every mock folder has (a cloud may need more, e.g. an action dispatcher). */
const MOCK_FILE_ROLES = ['invoke-handler', 'responses', 'signature-verifier', 'sts-handler'];

describe('provider folders', () => {
  it('PROVIDERS lists exactly the folders under providers/ and mocks/providers/', () => {
    const listed = PROVIDERS.map((definition) => definition.folder).sort();
    assert.deepEqual(folders('providers'), listed);
    assert.deepEqual(folders('mocks/providers'), listed);
    assert.equal(new Set(PROVIDERS.map((definition) => definition.id)).size, PROVIDERS.length, 'provider ids are unique');
  });

  for (const definition of PROVIDERS) {
    it(`providers/${definition.folder}: the same set of files as every provider, and one default export`, async () => {
      assert.deepEqual(files(`providers/${definition.folder}`), ['index.ts', ...PROVIDER_FILE_ROLES.map((role) => `${definition.folder}-${role}.ts`)].sort());
      const module = (await import(`../../providers/${definition.folder}/index.ts`)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(module), ['default'], 'index.ts exports one ProviderDefinition, as default');
      assert.equal(module.default, definition);
      checkDefinition(definition);
    });

    it(`mocks/providers/${definition.folder}: a MockProvider of the same id, with the common handler files`, async () => {
      const present = files(`mocks/providers/${definition.folder}`);
      for (const file of ['index.ts', ...MOCK_FILE_ROLES.map((role) => `${definition.folder}-${role}.ts`)]) assert.ok(present.includes(file), `${file} is missing`);
      const module = (await import(`../../mocks/providers/${definition.folder}/index.ts`)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(module), ['default']);
      const mocks = await loadMockProviders();
      const mock = mocks.find((candidate) => candidate.id === definition.id);
      assert.equal(module.default, mock);
      assert.ok(mock !== undefined);
      // the mock's partitions are the definition's (each has its broker identity variables)
      assert.deepEqual(
        mock.accounts.partitions.map((partition) => partition.id),
        (definition.broker.partitions?.list ?? [{ id: definition.id }]).map((partition) => partition.id),
      );
      assert.ok(definition.catalog.regions.known.includes(mock.functions.defaultRegion), `the mock's default region ${mock.functions.defaultRegion} is a known region`);
    });
  }

  it('nothing in src/ outside src/registry names a provider id, folder or its variables', () => {
    const names = PROVIDERS.flatMap((definition) => [
      { what: `provider id '${definition.id}'`, patterns: [quoted(definition.id), new RegExp(`(?:^|[\\s{,])${escape(definition.id)}\\s*:`)] },
      { what: `folder '${definition.folder}'`, patterns: [new RegExp(escape(definition.folder))] },
      { what: `variables of ${definition.id}`, patterns: [new RegExp(`LAKEFN_${escape(definition.names.environmentPrefix)}_`), ...definition.broker.keyVariables.map((name) => new RegExp(`\\b${escape(name)}\\b`))] },
    ]);
    const offences: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const path = relative(ROOT, file);
      if (path.startsWith(join('src', 'registry'))) continue;
      codeLines(readFileSync(file, 'utf8')).forEach((line, index) => {
        for (const { what, patterns } of names) {
          if (patterns.some((pattern) => pattern.test(line))) offences.push(`${path}:${index + 1} names ${what}: ${line.trim().slice(0, 160)}`);
        }
      });
    }
    assert.deepEqual(offences, []);
  });
});

/** The runtime half of `satisfies ProviderDefinition`: the data is consistent with itself. */
function checkDefinition(definition: ProviderDefinition): void {
  assert.equal(definition.specificationVersion, 'v1');
  assert.match(definition.id, /^[a-z][a-z0-9-]*$/);
  assert.match(definition.names.environmentPrefix, /^[A-Z][A-Z0-9_]*$/);
  for (const phase of ['sts', 'invoke'] as const) {
    assert.ok(definition.names.services[phase].length > 0);
    assert.match(definition.endpoints.apis[phase], /^[a-z][a-z0-9]*$/);
  }
  assert.equal(typeof definition.endpoints.hosts, 'function');
  assert.equal(typeof definition.createAdapter, 'function');
  const { limits } = definition;
  assert.ok(limits.maxRequestBytes > 0 && limits.maxReplyBytes > 0 && limits.maxReplyWireBytes > limits.maxReplyBytes, 'the wire cap leaves headroom above the reply limit');
  // only codes the table itself reads as a refusal count as VALIDATE's definite refusals
  for (const code of definition.errors.stsRefusals) assert.equal(lookUpCode(definition.errors.codes.sts, code), 'E_STS_DENIED', code);
  const { regions, functions, codeBucket, namespace, roleArn } = definition.catalog;
  for (const region of regions.known) assert.match(region, regions.pattern);
  assert.ok(regions.known.includes(regions.example));
  assert.ok(functions.isValidQualifier(functions.latestQualifier));
  assert.ok(codeBucket.minLength >= 1 && codeBucket.maxLength >= codeBucket.minLength);
  assert.ok(!namespace.required || (namespace.hint ?? '').length > 0, 'a required namespace says why');
  const defaultPartition = definition.broker.partitions?.list[0].id;
  const role = { accountId: definition.broker.defaultAccountId, roleName: 'lakefn-check', ...(defaultPartition === undefined ? {} : { partition: defaultPartition }) };
  assert.deepEqual(roleArn.parse(roleArn.format(role)), role, 'format and parse are inverse');
  assert.match(definition.broker.defaultAccountId, definition.broker.accountId.pattern);
  assert.equal(definition.broker.keyVariables.length, 2);
  const partitions = definition.broker.partitions;
  if (partitions !== undefined) {
    assert.equal(partitions.list[0].environmentInfix, '', 'the default partition uses the standard variables');
    for (const partition of partitions.list.slice(1)) assert.match(partition.environmentInfix, /^[A-Z][A-Z0-9_]*$/);
    for (const region of regions.known) assert.ok(partitions.list.some((partition) => partition.id === partitions.ofRegion(region)), region);
  }
  const subject = { region: regions.example, roleArn: roleArn.format(role), namespace: 'default', codeBucket: null, externalId: 'x' };
  assert.equal(typeof definition.policies.trust(subject, definition.broker.defaultAccountId), 'object');
  assert.equal(typeof definition.policies.permission(subject), 'object');
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The source without comments (block comments, and `//` comments that start a line or follow a space). */
function codeLines(source: string): string[] {
  const withoutBlocks = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''));
  return withoutBlocks.split('\n').map((line) => line.replace(/(^|\s)\/\/.*$/, '$1'));
}

function quoted(text: string): RegExp {
  return new RegExp(`(['"\`])${escape(text)}\\1`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
