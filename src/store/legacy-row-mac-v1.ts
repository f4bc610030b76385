import { createHmac } from 'node:crypto';
import type { SqlRow } from './sql-value.ts';
import { macMatches } from './row-mac.ts';

const DOMAIN_V1 = 'lakefn.connection-row-mac.v1';

/**
 * Whether a connection row written before MAC v2 carries a valid v1 MAC: HMAC-SHA256 over the domain tag and
 * (id, provider, role_arn, external_id), each length-prefixed. Only the migration to v2 reads it, so that a row
 * tampered with before the upgrade is not re-signed (laundered) by it.
 */
export function verifiesWithMacV1(key: Buffer, row: SqlRow): boolean {
  const hmac = createHmac('sha256', key);
  for (const column of [null, 'id', 'provider', 'role_arn', 'external_id']) {
    const value = column === null ? DOMAIN_V1 : row[column];
    if (typeof value !== 'string') return false;
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hmac.update(length);
    hmac.update(bytes);
  }
  return macMatches(hmac.digest('hex'), row['row_mac']);
}
