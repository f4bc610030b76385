import type { ProviderName } from '../spec/provider-name.ts';
import type { BrokerCredentials } from '../spec/temporary-credentials.ts';

/** The APIs lakefn calls per provider; each endpoint is overridable (e.g. to point at `lakefn mock`). */
export const PROVIDER_APIS = { aliyun: ['sts', 'fc'], tencent: ['sts', 'scf'], aws: ['sts', 'lambda'] } as const;
export type ProviderApi<P extends ProviderName = ProviderName> = (typeof PROVIDER_APIS)[P][number];

const ENVIRONMENT_PREFIX = { aliyun: 'ALIYUN', tencent: 'TENCENT', aws: 'AWS' } as const satisfies Record<ProviderName, string>;

/** `LAKEFN_AWS_LAMBDA_ENDPOINT` etc.: the names `lakefn mock --json` prints. */
export function endpointVariable(provider: ProviderName, api: string): string {
  return `LAKEFN_${ENVIRONMENT_PREFIX[provider]}_${api.toUpperCase()}_ENDPOINT`;
}

/** `LAKEFN_AWS_ACCOUNT_ID` etc.: the broker's own account, written into trust policies. */
export function accountIdVariable(provider: ProviderName): string {
  return `LAKEFN_${ENVIRONMENT_PREFIX[provider]}_ACCOUNT_ID`;
}

/** Documented demo defaults for the broker account ids when the variables are unset. */
export const DEFAULT_BROKER_ACCOUNT_IDS = {
  aliyun: '1000000000000001',
  tencent: '100000000001',
  aws: '000000000001',
} as const satisfies Record<ProviderName, string>;

type Environment = Readonly<Record<string, string | undefined>>;

/** An endpoint override as a URL (`http://127.0.0.1:4566`), or undefined for the production default. */
export function readEndpoint(provider: ProviderName, api: string, environment: Environment = process.env): URL | undefined {
  const value = environment[endpointVariable(provider, api)];
  return value === undefined || value === '' ? undefined : new URL(value);
}

export function readBrokerAccountId(provider: ProviderName, environment: Environment = process.env): string {
  return environment[accountIdVariable(provider)] || DEFAULT_BROKER_ACCOUNT_IDS[provider];
}

/** The standard variable names of each provider's SDK for long-lived keys. */
export const BROKER_KEY_VARIABLES = {
  aliyun: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
  tencent: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
  aws: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
} as const satisfies Record<ProviderName, readonly [string, string]>;

/** The broker identity from the environment, or undefined when either variable is missing. */
export function readBrokerCredentials(provider: ProviderName, environment: Environment = process.env): BrokerCredentials | undefined {
  const [idVariable, secretVariable] = BROKER_KEY_VARIABLES[provider];
  const accessKeyId = environment[idVariable];
  const secretAccessKey = environment[secretVariable];
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}
