import { randomInt } from 'node:crypto';
import { type MockProviders, mockProviderOf } from './mock-state.ts';
import type { MockAccount, ProviderName } from './mock-types.ts';
import { LakefnError } from '../src/errors/index.ts';

/** A key the mock accepts: an account's long-lived key, or temporary credentials its STS issued. */
export interface StoredCredential {
  readonly provider: ProviderName;
  readonly accountId: string;
  /** The account space the key exists in (AWS `aws-cn`); the provider id for clouds with one. */
  readonly partition: string;
  readonly accessKeyId: string;
  readonly secret: string;
  /** Set for temporary credentials: requests must carry exactly this token. */
  readonly sessionToken: string | undefined;
  /** Mock-clock milliseconds after which temporary credentials are refused. */
  readonly expiresAt: number | undefined;
  readonly roleArn: string | undefined;
  readonly sessionName: string | undefined;
}

/** Temporary credentials are pruned once this many have been issued since the last pruning. */
const PRUNE_EVERY = 1000;
const DIGITS = '0123456789';

/** Accounts and every access key the mock knows, by access key id. */
export class AccountRegistry {
  readonly #providers: MockProviders;
  readonly #accounts = new Map<string, MockAccount>();
  readonly #credentials = new Map<string, StoredCredential>();
  readonly #lookups = new Map<ProviderName, (accessKeyId: string) => StoredCredential | undefined>();
  #issuedSincePrune = 0;

  constructor(providers: MockProviders) {
    this.#providers = providers;
    for (const provider of providers.keys()) this.#lookups.set(provider, (accessKeyId) => this.lookup(provider, accessKeyId));
  }

  /**
   * Creates an account with one long-lived key; a random id of the provider's length when none is given, in the
   * provider's default partition unless another is named.
   */
  addAccount(provider: ProviderName, accountId?: string, partition?: string): MockAccount {
    const rules = mockProviderOf(this.#providers, provider).accounts;
    const space = partition ?? rules.partitions[0].id;
    if (!rules.partitions.some((candidate) => candidate.id === space)) throw new LakefnError('E_INVALID_ARGUMENT', `${provider} has no partition '${space.slice(0, 40)}'`);
    const id = accountId ?? this.#unusedAccountId(provider, space);
    if (!/^\d+$/.test(id) || id.length > 32) throw new LakefnError('E_INVALID_ARGUMENT', `invalid ${provider} account id '${id.slice(0, 40)}': digits only`);
    const key = `${provider}/${space}/${id}`;
    if (this.#accounts.has(key)) throw new LakefnError('E_INVALID_ARGUMENT', `${provider} account ${id} already exists in ${space}`);
    const { accessKeyId, secret } = rules.newAccessKey(false);
    const account: MockAccount = { provider, accountId: id, partition: space, accessKeyId, secretAccessKey: secret };
    this.#accounts.set(key, account);
    this.#credentials.set(accessKeyId, {
      provider,
      accountId: id,
      partition: space,
      accessKeyId,
      secret,
      sessionToken: undefined,
      expiresAt: undefined,
      roleArn: undefined,
      sessionName: undefined,
    });
    return account;
  }

  hasAccount(provider: ProviderName, accountId: string, partition?: string): boolean {
    return this.#accounts.has(`${provider}/${partition ?? mockProviderOf(this.#providers, provider).accounts.partitions[0].id}/${accountId}`);
  }

  /** Issues temporary credentials that act in `accountId` (of `partition`) until `expiresAt` (mock clock). */
  issueTemporary(options: {
    provider: ProviderName;
    accountId: string;
    partition: string;
    roleArn: string;
    sessionName: string;
    expiresAt: number;
    now: number;
  }): StoredCredential {
    this.#issuedSincePrune += 1;
    if (this.#issuedSincePrune >= PRUNE_EVERY) this.#pruneExpired(options.now);
    const rules = mockProviderOf(this.#providers, options.provider).accounts;
    const { accessKeyId, secret } = rules.newAccessKey(true);
    const credential: StoredCredential = {
      provider: options.provider,
      accountId: options.accountId,
      partition: options.partition,
      accessKeyId,
      secret,
      sessionToken: rules.newSessionToken(),
      expiresAt: options.expiresAt,
      roleArn: options.roleArn,
      sessionName: options.sessionName,
    };
    this.#credentials.set(accessKeyId, credential);
    return credential;
  }

  /** The credential for a key of `provider`; a key of another provider is unknown here, as in real life. */
  lookup(provider: ProviderName, accessKeyId: string): StoredCredential | undefined {
    const credential = this.#credentials.get(accessKeyId);
    return credential?.provider === provider ? credential : undefined;
  }

  /** `lookup` bound to one provider, made once per provider (the verifiers take a lookup function). */
  lookupFor(provider: ProviderName): (accessKeyId: string) => StoredCredential | undefined {
    const lookup = this.#lookups.get(provider);
    if (lookup === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `the lakefn mock has no provider '${String(provider).slice(0, 40)}'`);
    return lookup;
  }

  /** Forgets every temporary credential (reset of everything). */
  clearTemporary(): void {
    for (const [id, credential] of this.#credentials) if (credential.sessionToken !== undefined) this.#credentials.delete(id);
  }

  #pruneExpired(now: number): void {
    this.#issuedSincePrune = 0;
    // keep a day of grace so that "expired" (not "unknown key") is still reported for recently expired keys
    for (const [id, credential] of this.#credentials) {
      if (credential.expiresAt !== undefined && credential.expiresAt + 86_400_000 < now) this.#credentials.delete(id);
    }
  }

  #unusedAccountId(provider: ProviderName, partition: string): string {
    const length = mockProviderOf(this.#providers, provider).accounts.idLength;
    for (;;) {
      let id = String(1 + randomInt(9));
      while (id.length < length) id += DIGITS[randomInt(DIGITS.length)] ?? '0';
      if (!this.#accounts.has(`${provider}/${partition}/${id}`)) return id;
    }
  }
}
