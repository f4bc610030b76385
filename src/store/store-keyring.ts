import { LakefnError } from '../errors/index.ts';
import { storeKeyId } from './row-mac.ts';
import { createStoreKey, readStoreKey } from './store-key.ts';

/** A row-MAC key and its id. */
export interface StoreKey {
  readonly key: Buffer;
  readonly id: string;
}

/**
 * The row-MAC key of one store, by id. `path` is the key file; `<path>.next` holds the next key while
 * `lakefn store rotate-key` runs (written before its transaction, renamed over `path` once it committed).
 * A row signed by another key id makes the keyring look again, in the key file (rotated by another process or
 * node, or copied here after a rotation) and in the next-key file (a rotation that committed and has not renamed
 * it yet, or crashed in between), so long-running processes follow a rotation without a restart.
 */
export class StoreKeyring {
  readonly path: string;
  #current: StoreKey | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** Where a rotation keeps the next key until its transaction commits. */
  get nextPath(): string {
    return `${this.path}.next`;
  }

  /** Reads the key file; creates it first only when `create` (an empty catalog). False when it is missing. */
  load(options: { readonly create: boolean }): boolean {
    const key = readStoreKey(this.path) ?? (options.create ? createStoreKey(this.path) : undefined);
    if (key === undefined) return false;
    this.#current = { key, id: storeKeyId(key) };
    return true;
  }

  current(): StoreKey {
    if (this.#current === undefined) throw new LakefnError('E_INTERNAL', `store key ${this.path} used before it was loaded`);
    return this.#current;
  }

  /** The key with this id, or undefined when neither the key file nor the next-key file holds it. */
  forId(id: string): Buffer | undefined {
    const current = this.current();
    if (current.id === id) return current.key;
    const reloaded = readStoreKey(this.path);
    if (reloaded !== undefined && storeKeyId(reloaded) !== current.id) {
      this.#current = { key: reloaded, id: storeKeyId(reloaded) };
      if (this.#current.id === id) return reloaded;
    }
    const next = readStoreKey(this.nextPath);
    return next !== undefined && storeKeyId(next) === id ? next : undefined;
  }

  /** Makes `key` the current one (after a rotation renamed the next-key file over the key file). */
  use(key: Buffer): void {
    this.#current = { key, id: storeKeyId(key) };
  }
}
