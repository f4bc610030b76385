import { createHash } from 'node:crypto';

/** A bounded least-recently-used map of SDK clients: building a client per call is slow. */
export interface ClientCache<Client> {
  /** The cached client for `key`, or a new one from `create` (evicting the least recently used). */
  get(key: string, create: () => Client): Client;
  readonly size: number;
  clear(): void;
}

/**
 * @param maxEntries - @default 256
 * @param onEvict - called for evicted and cleared clients (e.g. to free resources they own alone)
 */
export function createClientCache<Client>(maxEntries = 256, onEvict?: (client: Client) => void): ClientCache<Client> {
  const entries = new Map<string, Client>();
  return {
    get(key, create) {
      const existing = entries.get(key);
      if (existing !== undefined) {
        // Re-insert to mark as most recently used (Map keeps insertion order).
        entries.delete(key);
        entries.set(key, existing);
        return existing;
      }
      const client = create();
      entries.set(key, client);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        const evicted = entries.get(oldest.value);
        entries.delete(oldest.value);
        if (evicted !== undefined) onEvict?.(evicted);
      }
      return client;
    },
    get size() {
      return entries.size;
    },
    clear() {
      const clients = [...entries.values()];
      entries.clear();
      if (onEvict !== undefined) for (const client of clients) onEvict(client);
    },
  };
}

/**
 * A cache key for clients bound to one set of keys: the access key id in clear (not secret) plus a
 * digest of the secret and token, so that a reused key id with a new secret never gets a stale client.
 */
export function credentialsCacheKey(accessKeyId: string, secret: string, sessionToken: string | undefined, ...scope: readonly string[]): string {
  const digest = createHash('sha256')
    .update(secret)
    .update('\0')
    .update(sessionToken ?? '')
    .digest('base64url')
    .slice(0, 16);
  return [accessKeyId, digest, ...scope].join('\n');
}
