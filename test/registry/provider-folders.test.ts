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

  it('nothing in src/ outside src/registry names a provider: its id, folder, display and service names, aliases or variables', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const path = relative(ROOT, file);
      if (path.startsWith(join('src', 'registry'))) continue;
      codeLines(readFileSync(file, 'utf8')).forEach((line, index) => {
        const named = providerMentions(line);
        if (named.length === 0 || ALLOWED_MENTIONS.some((allowed) => allowed.file === path && line.includes(allowed.text))) return;
        offences.push(`${path}:${index + 1} names ${named.map((name) => `'${name}'`).join(', ')}: ${line.trim().slice(0, 160)}`);
      });
    }
    assert.deepEqual(offences, []);
  });

  it("that check finds each provider's every kind of name, in any case, and not a word that merely contains one", () => {
    for (const definition of PROVIDERS) {
      const { cloud, services, environmentPrefix } = definition.names;
      for (const line of [
        `if (provider === '${definition.id}') {`,
        `const folder = "${definition.folder}";`,
        `message(\`on ${cloud}\`)`,
        `throttled by ${services.invoke}`,
        `endpoints.${definition.endpoints.apis.invoke} = url`,
        `env.LAKEFN_${environmentPrefix}_STS_ENDPOINT`,
        `process.env.${definition.broker.keyVariables[0]}`,
        `'${definition.id.toUpperCase()}'`,
        `description: "the cloud (${PROVIDERS.map((other) => other.id).join(', ')})"`,
      ]) {
        assert.ok(providerMentions(line).length > 0, `${definition.id}: not found in ${line}`);
      }
    }
    assert.ok(providerMentions("'Lambda proxy'").includes('Lambda'), 'a product name alone');
    assert.deepEqual(providerMentions('const fcAdapter = awsLike(scfy, lambdaExpression);'), []);
  });
});

/** The provider names a line of code mentions (case-insensitive, whole identifiers; variable prefixes as prefixes). */
function providerMentions(line: string): string[] {
  return PROVIDER_NAME_PATTERNS.filter(({ pattern }) => pattern.test(line)).map(({ name }) => name);
}

/**
 * Every name a provider goes by: id, folder, cloud and service display names, the product name alone (`Lambda`,
 * `FunctionGraph`), the cloud's own word (`Alibaba`, `Huawei`), its API names (`lambda`, `scf`), environment prefix and
 * key variables.
 */
function namesOf(definition: ProviderDefinition): string[] {
  const { cloud, services, environmentPrefix } = definition.names;
  const product = services.invoke.startsWith(`${cloud} `) ? services.invoke.slice(cloud.length + 1) : services.invoke;
  const cloudWords = cloud.split(' ').filter((word) => word !== 'Cloud');
  const apis = Object.values(definition.endpoints.apis).filter((api) => api !== 'sts');
  return [...new Set([definition.id, definition.folder, cloud, services.invoke, services.sts, product, ...cloudWords, ...apis, environmentPrefix, `LAKEFN_${environmentPrefix}_`, ...definition.broker.keyVariables])];
}

const PROVIDER_NAME_PATTERNS = PROVIDERS.flatMap((definition) =>
  namesOf(definition).map((name) => ({
    name,
    // `LAKEFN_AWS_` is a prefix of the variable names; everything else stands alone
    pattern: new RegExp(name.endsWith('_') ? escape(name) : `(?<![A-Za-z0-9_$])${escape(name)}(?![A-Za-z0-9_$])`, 'i'),
  })),
);

/**
 * Code in src/ that must spell a vendor's word although it names no provider lakefn dispatches to: another product's
 * own protocol, quoted exactly. Matched by file and text, so any other mention still fails.
 */
const ALLOWED_MENTIONS: readonly { readonly file: string; readonly text: string; readonly why: string }[] = [
  { file: join('src', 'codec', 'formats', 'redshift-wire-format.ts'), text: "'arn:aws:redshift:::cluster:lakefn'", why: "the ARN shape of Amazon Redshift's cluster field (the SQL engine's protocol)" },
  { file: join('src', 'codec', 'api-gateway-envelope.ts'), text: '"Malformed Lambda proxy response"', why: "API Gateway's own error text for a malformed proxy response" },
  { file: join('src', 'governance', 'policy', 'render-action-reference.ts'), text: "'AWS IAM.'", why: "the policy language's lineage (its evaluation rules are AWS IAM's)" },
];

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
  assert.ok(namespace.pattern.test('default') && namespace.maxLength >= 'default'.length, "the namespace rule accepts 'default'");
  assert.ok(namespace.description.length > 0);
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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
