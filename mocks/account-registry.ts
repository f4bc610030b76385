import { randomBytes, randomInt } from 'node:crypto';
import type { MockAccount, ProviderName } from './mock-types.ts';

/** A key the mock accepts: an account's long-lived key, or temporary credentials its STS issued. */
export interface StoredCredential {
  readonly provider: ProviderName;
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secret: string;
  /** Set for temporary credentials: requests must carry exactly this token. */
  readonly sessionToken: string | undefined;
  /** Mock-clock milliseconds after which temporary credentials are refused. */
  readonly expiresAt: number | undefined;
  readonly roleArn: string | undefined;
  readonly sessionName: string | undefined;
}

const ACCOUNT_ID_LENGTH = { aliyun: 16, tencent: 12, aws: 12 } as const satisfies Record<ProviderName, number>;
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Temporary credentials are pruned once this many have been issued since the last pruning. */
const PRUNE_EVERY = 1000;

function randomString(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** Key shapes of each provider, so that logs and SDK validations look as they would in production. */
function newAccessKey(provider: ProviderName, temporary: boolean): { accessKeyId: string; secret: string } {
  switch (provider) {
    case 'aws':
      return { accessKeyId: (temporary ? 'ASIA' : 'AKIA') + randomString(UPPER_ALPHANUMERIC, 16), secret: randomString(ALPHANUMERIC, 40) };
    case 'aliyun':
      return { accessKeyId: (temporary ? 'STS.NU' : 'LTAI') + randomString(ALPHANUMERIC, temporary ? 22 : 20), secret: randomString(ALPHANUMERIC, 30) };
    case 'tencent':
      return { accessKeyId: 'AKID' + randomString(ALPHANUMERIC, temporary ? 56 : 32), secret: randomString(ALPHANUMERIC, 32) };
  }
}

function newSessionToken(provider: ProviderName): string {
  const prefix = { aws: 'IQoJb3JpZ2luX2Vj', aliyun: 'CAIS', tencent: '' }[provider];
  return prefix + randomBytes(192).toString('base64');
}

/** Accounts and every access key the mock knows, by access key id. */
export class AccountRegistry {
  readonly #accounts = new Map<string, MockAccount>();
  readonly #credentials = new Map<string, StoredCredential>();
  #issuedSincePrune = 0;
  readonly #lookups = {
    aliyun: (accessKeyId: string) => this.lookup('aliyun', accessKeyId),
    tencent: (accessKeyId: string) => this.lookup('tencent', accessKeyId),
    aws: (accessKeyId: string) => this.lookup('aws', accessKeyId),
  };

  /** Creates an account with one long-lived key; a random id of the provider's length when none is given. */
  addAccount(provider: ProviderName, accountId?: string): MockAccount {
    const id = accountId ?? this.#unusedAccountId(provider);
    if (!/^\d+$/.test(id) || id.length > 32) throw new Error(`invalid ${provider} account id '${id.slice(0, 40)}': digits only`);
    if (this.#accounts.has(`${provider}/${id}`)) throw new Error(`${provider} account ${id} already exists`);
    const { accessKeyId, secret } = newAccessKey(provider, false);
    const account: MockAccount = { provider, accountId: id, accessKeyId, secretAccessKey: secret };
    this.#accounts.set(`${provider}/${id}`, account);
    this.#credentials.set(accessKeyId, {
      provider,
      accountId: id,
      accessKeyId,
      secret,
      sessionToken: undefined,
      expiresAt: undefined,
      roleArn: undefined,
      sessionName: undefined,
    });
    return account;
  }

  hasAccount(provider: ProviderName, accountId: string): boolean {
    return this.#accounts.has(`${provider}/${accountId}`);
  }

  /** Issues temporary credentials that act in `accountId` until `expiresAt` (mock clock). */
  issueTemporary(options: {
    provider: ProviderName;
    accountId: string;
    roleArn: string;
    sessionName: string;
    expiresAt: number;
    now: number;
  }): StoredCredential {
    this.#issuedSincePrune += 1;
    if (this.#issuedSincePrune >= PRUNE_EVERY) this.#pruneExpired(options.now);
    const { accessKeyId, secret } = newAccessKey(options.provider, true);
    const credential: StoredCredential = {
      provider: options.provider,
      accountId: options.accountId,
      accessKeyId,
      secret,
      sessionToken: newSessionToken(options.provider),
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
    return this.#lookups[provider];
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

  #unusedAccountId(provider: ProviderName): string {
    for (;;) {
      const length = ACCOUNT_ID_LENGTH[provider];
      const id = String(1 + randomInt(9)) + randomString('0123456789', length - 1);
      if (!this.#accounts.has(`${provider}/${id}`)) return id;
    }
  }
}
