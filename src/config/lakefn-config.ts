import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LakefnError, quoteValue } from '../errors/index.ts';
import { type ProviderName, PROVIDERS, providerDefinition } from '../registry/providers.ts';
import type { ProviderCallPhase, ProviderDefinition } from '../spec/provider-definition.ts';
import { accountIdKey, accountIdVariable, brokerPartitions, endpointVariable, optionVariable } from './provider-environment.ts';

/** The optional configuration file in lakefn's home directory. */
export const CONFIG_FILE = 'config.json';
/** A configuration file is a few hundred bytes; anything this large is not one. */
const MAX_CONFIG_BYTES = 65_536;
const MAX_URL_LENGTH = 2048;

const endpointUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), { message: 'expected an http:// or https:// URL, e.g. http://127.0.0.1:4566' });

const PHASES: readonly ProviderCallPhase[] = ['sts', 'invoke'];
/** The definitions that have provider options (config.json `options.<id>`). */
const WITH_OPTIONS: readonly ProviderDefinition[] = (PROVIDERS as readonly ProviderDefinition[]).filter((definition) => (definition.options ?? []).length > 0);

/**
 * The file's schema, derived from the provider definitions: `endpoints.<provider>.<api>` with each provider's API
 * names, and `account_ids.<partition>` (the provider id for its default partition, e.g. `aws`, `aws-cn`).
 */
const configSchema = z.strictObject({
  endpoints: z
    .strictObject(
      Object.fromEntries(
        PROVIDERS.map((definition) => [definition.id, z.strictObject(Object.fromEntries(PHASES.map((phase) => [definition.endpoints.apis[phase], endpointUrl.optional()]))).optional()]),
      ),
    )
    .optional(),
  account_ids: z
    .strictObject(
      Object.fromEntries(
        PROVIDERS.flatMap((definition) => {
          const rule = definition.broker.accountId;
          // length bounded before the regex
          const accountId = z.string().max(rule.maxLength, { message: `expected ${rule.description}` }).regex(rule.pattern, { message: `expected ${rule.description}` }).optional();
          return brokerPartitions(definition.id).map((partition) => [accountIdKey(definition, partition), accountId]);
        }),
      ),
    )
    .optional(),
  options: z
    .strictObject(
      Object.fromEntries(
        WITH_OPTIONS.map((definition) => [
          definition.id,
          z
            .strictObject(
              Object.fromEntries(
                (definition.options ?? []).map((option) => [
                  option.name,
                  // length bounded before the regex
                  z.string().max(option.maxLength, { message: option.description }).regex(option.pattern, { message: option.description }).optional(),
                ]),
              ),
            )
            .optional(),
        ]),
      ),
    )
    .optional(),
  // OpenID Connect ID tokens accepted by `lakefn serve` (see oidc-settings.ts; LAKEFN_OIDC_* variables win)
  oidc: z
    .strictObject({
      issuer: z.string().max(MAX_URL_LENGTH).optional(),
      audience: z.union([z.string().max(MAX_URL_LENGTH), z.array(z.string().max(MAX_URL_LENGTH)).max(16)]).optional(),
      jwks_url: z.string().max(MAX_URL_LENGTH).optional(),
      jwks_file: z.string().max(4096).optional(),
    })
    .optional(),
});

/** The contents of `$LAKEFN_HOME/config.json`, validated. Every field is optional. */
export interface LakefnConfigFile {
  /** Endpoint overrides by provider id, then API name (`endpoints.aws.lambda`). */
  readonly endpoints?: Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;
  /** Broker account ids by partition (`account_ids.aws`, `account_ids.aws-cn`). */
  readonly account_ids?: Readonly<Record<string, string | undefined>>;
  /** Provider options by provider id, then option name (`options.aws.sts_region`). */
  readonly options?: Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;
  /** OpenID Connect for `lakefn serve`: issuer, audience(s), and the JWKS by URL or file. */
  readonly oidc?: {
    readonly issuer?: string | undefined;
    readonly audience?: string | readonly string[] | undefined;
    readonly jwks_url?: string | undefined;
    readonly jwks_file?: string | undefined;
  };
}

export interface LakefnConfig {
  /** The file the values came from, for messages; undefined when there is no file. */
  readonly path: string | undefined;
  readonly file: LakefnConfigFile;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** No file: environment variables and built-in defaults only. */
export const EMPTY_CONFIG: LakefnConfig = { path: undefined, file: {} };

/**
 * Reads `<home>/config.json` when it exists (EMPTY_CONFIG otherwise) and validates it strictly:
 * unknown keys, malformed URLs or account ids → E_INVALID_ARGUMENT naming the file and the key path.
 * Environment variables take precedence over the file (see resolveEndpoint, environmentWithConfig).
 */
export function loadLakefnConfig(home: string): LakefnConfig {
  const path = join(home, CONFIG_FILE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new LakefnError('E_INVALID_ARGUMENT', `cannot read the configuration file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length > MAX_CONFIG_BYTES) {
    throw new LakefnError('E_INVALID_ARGUMENT', `the configuration file ${path} holds ${bytes.length} bytes, more than ${MAX_CONFIG_BYTES}; it is not a lakefn config.json`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new LakefnError('E_INVALID_ARGUMENT', `the configuration file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = configSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map(describeIssue).join('; ');
    throw new LakefnError('E_INVALID_ARGUMENT', `the configuration file ${path} is invalid: ${problems}; fix or remove it (keys: ${ALLOWED_SHAPE})`);
  }
  return { path, file: result.data as LakefnConfigFile };
}

const ALLOWED_SHAPE =
  `endpoints.{${PROVIDERS.map((definition) => `${definition.id}.{${PHASES.map((phase) => definition.endpoints.apis[phase]).join(',')}}`).join(', ')}}, ` +
  `account_ids.{${PROVIDERS.flatMap((definition) => brokerPartitions(definition.id).map((partition) => accountIdKey(definition, partition))).join(',')}}, ` +
  'oidc.{issuer,audience,jwks_url,jwks_file}, ' +
  `options.{${WITH_OPTIONS.map((definition) => `${definition.id}.{${(definition.options ?? []).map((option) => option.name).join(',')}}`).join(', ')}}`;

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `unknown key ${quoteValue(at === '' ? key : `${at}.${key}`, 60)}`).join('; ');
  }
  return `${at === '' ? '(top level)' : `'${at}'`}: ${issue.message}`;
}

/** Where an endpoint override came from, for DESC API CONNECTION: the variable, or the key in config.json. */
export interface EndpointOverride {
  readonly url: URL;
  /** `LAKEFN_AWS_LAMBDA_ENDPOINT`, or `config.json endpoints.aws.lambda`. */
  readonly source: string;
}

/**
 * The endpoint override for one provider API: `LAKEFN_<PROVIDER>_<API>_ENDPOINT` when set (it wins),
 * else `endpoints.<provider>.<api>` from config.json, else undefined (the production endpoint).
 */
export function resolveEndpoint(provider: ProviderName, phase: ProviderCallPhase, environment: Environment, config: LakefnConfig = EMPTY_CONFIG): URL | undefined {
  return endpointOverride(provider, phase, environment, config)?.url;
}

/** `resolveEndpoint` with the override's source. */
export function endpointOverride(provider: ProviderName, phase: ProviderCallPhase, environment: Environment, config: LakefnConfig = EMPTY_CONFIG): EndpointOverride | undefined {
  const variable = endpointVariable(provider, phase);
  const fromEnvironment = environment[variable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    if (!URL.canParse(fromEnvironment)) {
      throw new LakefnError('E_INVALID_ARGUMENT', `${variable} is not a URL (expected e.g. http://127.0.0.1:4566)`, { location: { provider } });
    }
    // environmentWithConfig copies the file's values into variables: name the file when that is where it came from
    const source = FILLED_FROM_CONFIG.get(environment)?.has(variable) === true ? configSource(provider, phase) : variable;
    return { url: new URL(fromEnvironment), source };
  }
  const fromFile = configuredEndpoint(config, provider, phase);
  return fromFile === undefined ? undefined : { url: new URL(fromFile), source: configSource(provider, phase) };
}

/** Where config.json sets an endpoint: `config.json endpoints.aws.lambda`. */
function configSource(provider: ProviderName, phase: ProviderCallPhase): string {
  return `config.json endpoints.${provider}.${providerDefinition(provider).endpoints.apis[phase]}`;
}

/**
 * The variables of each environment that environmentWithConfig filled in from config.json (they were unset), so that an
 * override's source is named exactly: the variable the operator set, or the file.
 */
const FILLED_FROM_CONFIG = new WeakMap<Environment, ReadonlySet<string>>();

function configuredEndpoint(config: LakefnConfig, provider: ProviderName, phase: ProviderCallPhase): string | undefined {
  return config.file.endpoints?.[provider]?.[providerDefinition(provider).endpoints.apis[phase]];
}

/**
 * The environment with config.json's values filled in where the variable is unset, for code that reads
 * only the environment (e.g. the broker account id in DESC API CONNECTION). Variables keep precedence.
 */
export function environmentWithConfig(environment: Environment, config: LakefnConfig): Environment {
  if (config.path === undefined) return environment;
  const defaults: Record<string, string> = {};
  for (const definition of PROVIDERS) {
    for (const phase of PHASES) {
      const endpoint = configuredEndpoint(config, definition.id, phase);
      if (endpoint !== undefined) defaults[endpointVariable(definition.id, phase)] = endpoint;
    }
    for (const partition of brokerPartitions(definition.id)) {
      const accountId = config.file.account_ids?.[accountIdKey(definition, partition)];
      if (accountId !== undefined) defaults[accountIdVariable(definition.id, partition)] = accountId;
    }
    for (const option of (definition as ProviderDefinition).options ?? []) {
      const value = config.file.options?.[definition.id]?.[option.name];
      if (value !== undefined) defaults[optionVariable(definition, option.name)] = value;
    }
  }
  const merged: Record<string, string | undefined> = { ...defaults };
  const filled = new Set(Object.keys(defaults));
  for (const [name, value] of Object.entries(environment)) {
    // An empty variable counts as unset, as in readEndpoint / readBrokerAccountId.
    if (value !== undefined && value !== '') {
      merged[name] = value;
      filled.delete(name);
    } else if (!(name in defaults)) merged[name] = value;
  }
  FILLED_FROM_CONFIG.set(merged, filled);
  return merged;
}
