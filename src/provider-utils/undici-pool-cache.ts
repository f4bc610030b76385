import { Pool } from 'undici';

/** One keep-alive undici Pool per endpoint origin, closed together. */
export interface UndiciPoolCache {
  /** The pool for `origin` (`scheme://host[:port]`), created on first use. */
  poolFor(origin: string): Pool;
  /** Closes every pool (idle sockets at once, in-flight requests are let finish). Idempotent. */
  close(): Promise<void>;
}

export interface UndiciPoolCacheSettings {
  /** Keep-alive sockets per origin. @default 256 */
  readonly connections?: number;
  /** How long an idle socket is kept. @default 60000 */
  readonly keepAliveTimeoutMs?: number;
}

/** Pools are per origin, not per credentials: credentials rotate hourly, sockets stay. */
export function createUndiciPoolCache(settings: UndiciPoolCacheSettings = {}): UndiciPoolCache {
  const pools = new Map<string, Pool>();
  const connections = settings.connections ?? 256;
  const keepAliveTimeout = settings.keepAliveTimeoutMs ?? 60_000;
  return {
    poolFor(origin) {
      let pool = pools.get(origin);
      if (pool === undefined) {
        pool = new Pool(origin, { connections, keepAliveTimeout, keepAliveMaxTimeout: keepAliveTimeout });
        pools.set(origin, pool);
      }
      return pool;
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.close()));
    },
  };
}
