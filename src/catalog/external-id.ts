import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 32 characters of a 62-letter alphabet: log2(62) × 32 ≈ 190 bits of entropy. @default 32 */
export const EXTERNAL_ID_LENGTH = 32;
/** The largest multiple of 62 that fits a byte: bytes at or above it are discarded (no modulo bias). */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A new external ID from the CSPRNG: `[A-Za-z0-9]{32}`, accepted by AWS, Alibaba Cloud and Tencent Cloud
 * STS without encoding. Uniform over the alphabet by rejection sampling. Never derived from the name.
 */
export function generateExternalId(): string {
  let result = '';
  while (result.length < EXTERNAL_ID_LENGTH) {
    for (const byte of randomBytes(EXTERNAL_ID_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      result += ALPHABET[byte % ALPHABET.length] ?? '';
      if (result.length === EXTERNAL_ID_LENGTH) break;
    }
  }
  return result;
}

/** The shape of an ID this module generates (for checking stored records). */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9]{32}$/;
