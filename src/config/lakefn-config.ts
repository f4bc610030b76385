import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LakefnError, quoteValue } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { PROVIDER_APIS, type ProviderApi, accountIdVariable, endpointVariable } from './provider-environment.ts';

/** The optional configuration file in lakefn's home directory. */
export const CONFIG_FILE = 'config.json';
/** A configuration file is a few hundred bytes; anything this large is not one. */
const MAX_CONFIG_BYTES = 65_536;
const MAX_URL_LENGTH = 2048;

const endpointUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), { message: 'expected an http:// or https:// URL, e.g. http://127.0.0.1:4566' });

// Account ids follow the role ARN rules of src/catalog/role-arn.ts (length bounded before the regex).
const accountIds = z.strictObject({
  aws: z.string().max(12).regex(/^\d{12}$/, { message: 'expected an AWS account id of 12 digits' }).optional(),
  aliyun: z.string().max(20).regex(/^\d{12,20}$/, { message: 'expected an Alibaba Cloud account uid of 12-20 digits' }).optional(),
  tencent: z.string().max(20).regex(/^\d{5,20}$/, { message: 'expected a Tencent Cloud uin of 5-20 digits' }).optional(),
});

const configSchema = z.strictObject({
  endpoints: z
    .strictObject({
      aws: z.strictObject({ sts: endpointUrl.optional(), lambda: endpointUrl.optional() }).optional(),
      aliyun: z.strictObject({ sts: endpointUrl.optional(), fc: endpointUrl.optional() }).optional(),
      tencent: z.strictObject({ sts: endpointUrl.optional(), scf: endpointUrl.optional() }).optional(),
    } satisfies { [P in ProviderName]: z.ZodOptional<z.ZodObject<Record<ProviderApi<P>, z.ZodOptional<typeof endpointUrl>>>> })
    .optional(),
  account_ids: accountIds.optional(),
});

/** The contents of `$LAKEFN_HOME/config.json`, validated. Every field is optional. */
export type LakefnConfigFile = z.infer<typeof configSchema>;

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
  return { path, file: result.data };
}

const ALLOWED_SHAPE =
  `endpoints.{${(Object.keys(PROVIDER_APIS) as ProviderName[]).map((provider) => `${provider}.{${PROVIDER_APIS[provider].join(',')}}`).join(', ')}}, ` +
  `account_ids.{${Object.keys(PROVIDER_APIS).join(',')}}`;

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `unknown key ${quoteValue(at === '' ? key : `${at}.${key}`, 60)}`).join('; ');
  }
  return `${at === '' ? '(top level)' : `'${at}'`}: ${issue.message}`;
}

/**
 * The endpoint override for one provider API: `LAKEFN_<PROVIDER>_<API>_ENDPOINT` when set (it wins),
 * else `endpoints.<provider>.<api>` from config.json, else undefined (the production endpoint).
 */
export function resolveEndpoint<P extends ProviderName>(provider: P, api: ProviderApi<P>, environment: Environment, config: LakefnConfig = EMPTY_CONFIG): URL | undefined {
  const variable = endpointVariable(provider, api);
  const fromEnvironment = environment[variable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    if (!URL.canParse(fromEnvironment)) {
      throw new LakefnError('E_INVALID_ARGUMENT', `${variable} is not a URL (expected e.g. http://127.0.0.1:4566)`, { location: { provider } });
    }
    return new URL(fromEnvironment);
  }
  const fromFile = configuredEndpoint(config, provider, api);
  return fromFile === undefined ? undefined : new URL(fromFile);
}

function configuredEndpoint(config: LakefnConfig, provider: ProviderName, api: string): string | undefined {
  const apis: Readonly<Record<string, string | undefined>> | undefined = config.file.endpoints?.[provider];
  return apis?.[api];
}

/**
 * The environment with config.json's values filled in where the variable is unset, for code that reads
 * only the environment (e.g. the broker account id in DESC API CONNECTION). Variables keep precedence.
 */
export function environmentWithConfig(environment: Environment, config: LakefnConfig): Environment {
  if (config.path === undefined) return environment;
  const defaults: Record<string, string> = {};
  for (const provider of Object.keys(PROVIDER_APIS) as ProviderName[]) {
    for (const api of PROVIDER_APIS[provider]) {
      const endpoint = configuredEndpoint(config, provider, api);
      if (endpoint !== undefined) defaults[endpointVariable(provider, api)] = endpoint;
    }
    const accountId = config.file.account_ids?.[provider];
    if (accountId !== undefined) defaults[accountIdVariable(provider)] = accountId;
  }
  const merged: Record<string, string | undefined> = { ...defaults };
  for (const [name, value] of Object.entries(environment)) {
    // An empty variable counts as unset, as in readEndpoint / readBrokerAccountId.
    if (value !== undefined && value !== '') merged[name] = value;
    else if (!(name in defaults)) merged[name] = value;
  }
  return merged;
}
