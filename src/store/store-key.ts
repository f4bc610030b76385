import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { LakefnError } from '../errors/index.ts';

export const STORE_KEY_FILE = 'store.key';
export const STORE_KEY_BYTES = 32;

/** The variable naming a key file to use instead of `<home>/store.key` (nodes sharing one PostgreSQL catalog share one key). */
export const STORE_KEY_FILE_VARIABLE = 'LAKEFN_STORE_KEY_FILE';

/**
 * Reads `<home>/store.key` (the row-MAC key), or `keyFile` when given (LAKEFN_STORE_KEY_FILE), creating
 * it on first use: 32 CSPRNG bytes, mode 0600.
 * Creation is atomic: the bytes go to a private temp file (O_EXCL, 0600) that is then hard-linked
 * into place, so a concurrent process either wins the link or reads a complete key, never a partial one.
 * A key file readable or writable by group/others is refused: whoever can rewrite it can forge MACs.
 */
export function loadStoreKey(home: string, keyFile?: string): Buffer {
  const path = keyFile ?? join(home, STORE_KEY_FILE);
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const existing = readKeyFile(path);
  if (existing !== undefined) return existing;
  const temporary = join(directory, `.${STORE_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const descriptor = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(descriptor, randomBytes(STORE_KEY_BYTES));
  } finally {
    closeSync(descriptor);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    // another process created the key first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storeKeyError(path, error);
  } finally {
    unlinkSync(temporary);
  }
  const created = readKeyFile(path);
  if (created === undefined) throw storeKeyError(path, new Error('key file vanished after creation'));
  return created;
}

function readKeyFile(path: string): Buffer | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw storeKeyError(path, error);
  }
  try {
    const mode = fstatSync(descriptor).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new LakefnError(
        'E_STORE',
        `store key ${path} has permissions ${mode.toString(8).padStart(4, '0')}; it must be readable by its owner only ` +
          `(run: chmod 600 ${path}, and check nobody else replaced it)`,
      );
    }
    const key = readFileSync(descriptor);
    if (key.length !== STORE_KEY_BYTES) {
      throw new LakefnError('E_STORE', `store key ${path} holds ${key.length} bytes, expected ${STORE_KEY_BYTES}; restore it from backup`);
    }
    return key;
  } finally {
    closeSync(descriptor);
  }
}

function storeKeyError(path: string, cause: unknown): LakefnError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LakefnError('E_STORE', `cannot create or read store key ${path}: ${reason}`, { cause });
}
