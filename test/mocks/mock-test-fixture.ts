// Shared set-up for the mock cloud's own tests: a manual clock, the DESC-style trust policies and roles.
import { createManualClock, MockCloud, type ManualClock, type ProviderName } from '../../mocks/mock-cloud.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';
import { providerDefinition } from '../../src/registry/providers.ts';
import { withoutCondition } from '../helpers/with-mock-cloud.ts';

export const EXTERNAL_ID = 'lakefn-ext-0123456789abcdef';
/** Where each provider's built-ins live in the mock (its MockProvider's default region). */
export const DEFAULT_REGIONS = Object.fromEntries((await loadMockProviders()).map((provider) => [provider.id, provider.functions.defaultRegion])) as Readonly<Record<ProviderName, string>>;

export function roleArn(provider: ProviderName, accountId: string, name: string): string {
  return providerDefinition(provider).catalog.roleArn.format({ accountId, roleName: name });
}

/** Exactly the documents `DESC API CONNECTION` prints; `externalId` undefined = the same without its condition. */
export function trustPolicy(provider: ProviderName, trustedAccountId: string, externalId: string | undefined): object {
  const policy: Record<string, unknown> = { ...providerDefinition(provider).policies.trust({ roleArn: roleArn(provider, '000000000009', 'any'), externalId: externalId ?? 'unused' }, trustedAccountId) };
  return externalId === undefined ? withoutCondition(policy) : policy;
}

export interface TestCloud {
  readonly cloud: MockCloud;
  readonly clock: ManualClock;
  /** The role trusting the broker with EXTERNAL_ID (the secure case). */
  readonly roleArn: string;
  /** A role trusting the broker without any external-ID condition (the insecure case). */
  readonly insecureRoleArn: string;
  readonly customerAccountId: string;
  readonly region: string;
}

/** A mock on a manual clock (starting now) with the two roles of `provider` and its built-ins in the default region. */
export async function startTestCloud(provider: ProviderName): Promise<TestCloud> {
  const clock = createManualClock();
  const cloud = await MockCloud.start({ clock });
  const customerAccountId = cloud.customerAccounts[provider].accountId;
  const broker = cloud.brokerAccounts[provider].accountId;
  const secure = roleArn(provider, customerAccountId, 'lakefn');
  const insecure = roleArn(provider, customerAccountId, 'insecure');
  cloud.putRole({ provider, roleArn: secure, trustPolicy: JSON.stringify(trustPolicy(provider, broker, EXTERNAL_ID)) });
  cloud.putRole({ provider, roleArn: insecure, trustPolicy: trustPolicy(provider, broker, undefined) });
  for (const name of ['upper', 'fail_on', 'row_errors', 'echo']) {
    // `upper` has a published alias and version; invoking any other qualifier is the service's not-found error
    cloud.putFunction({ provider, accountId: customerAccountId, region: DEFAULT_REGIONS[provider], name, builtin: name, ...(name === 'upper' ? { qualifiers: ['prod', '1'] } : {}) });
  }
  // takes big payloads without sending them back
  cloud.putFunction({ provider, accountId: customerAccountId, region: DEFAULT_REGIONS[provider], name: 'sink', handler: () => ({ results: [null] }) });
  return { cloud, clock, roleArn: secure, insecureRoleArn: insecure, customerAccountId, region: DEFAULT_REGIONS[provider] };
}

export const BATCH = { lakefn: 1, batch_id: 'q1:upper:0', function: 'upper', query_id: 'q1', user: 'alice', arg_types: ['VARCHAR'], return_type: 'VARCHAR', rows: [['a'], [null], ['c']] };

/** A lakefn v1 request (one row) whose JSON encoding is exactly `bytes` long. */
export function payloadOfSize(bytes: number): Buffer {
  const empty = JSON.stringify({ lakefn: 1, rows: [['']] });
  return Buffer.from(JSON.stringify({ lakefn: 1, rows: [['x'.repeat(bytes - empty.length)]] }));
}

/** A promise with its resolver, to hold handlers in flight. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Polls until `condition` holds (the mock records some events only when a connection closes). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
