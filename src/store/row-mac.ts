import { createHmac, timingSafeEqual } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';

/** The fields a connection's row MAC covers: what decides whose role lakefn assumes, and how. */
export interface MacFields {
  readonly id: string;
  readonly provider: string;
  readonly roleArn: string;
  readonly externalId: string;
}

const DOMAIN = 'lakefn.connection-row-mac.v1';

/**
 * HMAC-SHA256 over the domain tag and (id, provider, role_arn, external_id), each length-prefixed
 * (4-byte big-endian UTF-8 byte length) so no two field tuples encode to the same bytes. Hex.
 */
export function computeRowMac(key: Buffer, fields: MacFields): string {
  const hmac = createHmac('sha256', key);
  for (const value of [DOMAIN, fields.id, fields.provider, fields.roleArn, fields.externalId]) {
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hmac.update(length);
    hmac.update(bytes);
  }
  return hmac.digest('hex');
}

/** Throws E_STORE_TAMPERED naming the connection when the stored MAC does not match its fields. */
export function verifyRowMac(key: Buffer, fields: MacFields & { readonly name: string }, storedMac: string, location: string): void {
  const expected = Buffer.from(computeRowMac(key, fields), 'hex');
  const actual = Buffer.from(storedMac, 'hex');
  if (actual.length === expected.length && timingSafeEqual(actual, expected)) return;
  throw new LakefnError(
    'E_STORE_TAMPERED',
    `connection '${fields.name}' in ${location} failed its integrity check: its role_arn, external_id, provider or id ` +
      `was changed outside lakefn, or this process's store key is not the one that wrote the row. lakefn will not use it. ` +
      `All lakefn nodes sharing a PostgreSQL catalog must share one store key: copy the key file of the node that created ` +
      `the connections and point LAKEFN_STORE_KEY_FILE at it on every node (default: $LAKEFN_HOME/store.key). ` +
      `If the key is right, inspect the row, then DROP and re-create the connection`,
    { location: { connection: fields.name } },
  );
}
