import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LakefnError } from '../errors/index.ts';

export const STORE_KEY_FILE = 'store.key';
export const STORE_KEY_BYTES = 32;

/** The variable naming a key file to use instead of `<home>/store.key` (nodes sharing one PostgreSQL catalog share one key). */
export const STORE_KEY_FILE_VARIABLE = 'LAKEFN_STORE_KEY_FILE';

/** Where the row-MAC key lives: `keyFile` (LAKEFN_STORE_KEY_FILE) when given, else `<home>/store.key`. */
export function storeKeyPath(home: string, keyFile?: string): string {
  return keyFile ?? join(home, STORE_KEY_FILE);
}

/**
 * Creates the key file: 32 CSPRNG bytes, mode 0600, in a private directory, and returns the key in it. Creation
 * is atomic: the bytes go to a private temp file (O_EXCL, 0600) that is then hard-linked into place, so a
 * concurrent process either wins the link or reads a complete key, never a partial one; the loser (and a call
 * when the file exists already) returns the key that is there. Only for an empty catalog (see
 * SqlCatalogStore.init): a catalog with rows never gets a new key.
 */
export function createStoreKey(path: string): Buffer {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const temporary = writeTemporaryKey(path, randomBytes(STORE_KEY_BYTES));
  try {
    linkSync(temporary, path);
  } catch (error) {
    // another process created the key first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storeKeyError(path, error);
  } finally {
    unlinkSync(temporary);
  }
  const created = readStoreKey(path);
  if (created === undefined) throw storeKeyError(path, new Error('key file vanished after creation'));
  return created;
}

/**
 * Writes `key` to `path`, replacing any file there, atomically: a private temp file in the same directory is
 * written and fsynced, then renamed over `path`, and the directory is fsynced, so a crash leaves either the old
 * file or the complete new one.
 */
export function writeStoreKeyFile(path: string, key: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = writeTemporaryKey(path, key);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw storeKeyError(path, error);
  }
  syncDirectory(dirname(path));
}

/** Renames one key file over another atomically (rotation: the next key becomes the key) and syncs the directory. */
export function replaceStoreKeyFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    throw storeKeyError(to, error);
  }
  syncDirectory(dirname(to));
}

/**
 * The key in `path`, or undefined when there is no such file. A key file readable or writable by group or
 * others is refused (whoever can rewrite it can forge MACs), and so is one of the wrong length.
 */
export function readStoreKey(path: string): Buffer | undefined {
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

function writeTemporaryKey(path: string, key: Buffer): string {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  let descriptor: number;
  try {
    descriptor = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    throw storeKeyError(path, error);
  }
  try {
    writeSync(descriptor, key);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  return temporary;
}

function syncDirectory(directory: string): void {
  const descriptor = openSync(directory, constants.O_RDONLY);
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function storeKeyError(path: string, cause: unknown): LakefnError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LakefnError('E_STORE', `cannot create or read store key ${path}: ${reason}`, { cause });
}
