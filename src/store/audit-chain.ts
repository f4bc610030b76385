import { createHash, createHmac } from 'node:crypto';
import { macMatches } from './row-mac.ts';

/**
 * The audit log's tamper evidence, as pure functions of stored values.
 *
 * Each record's `hash` is SHA-256 over a canonical, length-prefixed encoding of
 *   domain, seq, event_id, event_type, ts, principal, project (NULL tagged), body, prev_hash
 * where `prev_hash` is the previous record's `hash` (record 1: 64 zeros). Changing, inserting, deleting or
 * reordering any record breaks the chain at that point. The `mac` is HMAC-SHA256 with the store key over
 *   domain, key id, hash
 * so only a holder of the key can write a record that verifies (a database user alone cannot re-compute a chain).
 * The chain's ends live in the catalog-state row (first retained record and the hash it links to, last record and its
 * hash) under a MAC of their own, so truncating the newest records or dropping the oldest without a prune is found
 * too. Key rotation re-MACs every record (the hashes, and so the chain, do not change); a prune moves the first end.
 */

const RECORD_DOMAIN = 'lakefn.audit-record.v1';
const MAC_DOMAIN = 'lakefn.audit-mac.v1';
const STATE_DOMAIN = 'lakefn.audit-state.v1';

/** The columns a record's hash covers, as stored. */
export interface AuditRecordColumns {
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly ts: string;
  readonly principal: string;
  readonly project: string | null;
  readonly body: string;
  readonly prevHash: string;
}

/** Where the chain starts and ends (catalog-state row). */
export interface AuditChainEnds {
  /** The first record kept (1 until a prune). */
  readonly firstSeq: number;
  /** The `prev_hash` that record must carry (64 zeros, or the hash of the last pruned record). */
  readonly firstPrevHash: string;
  /** The last record (0 when there is none). */
  readonly lastSeq: number;
  /** Its hash (the first record's `prev_hash` when there is none). */
  readonly lastHash: string;
}

function encode(parts: readonly (string | null)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (part === null) {
      chunks.push(Buffer.of(0));
      continue;
    }
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(5);
    length.writeUInt8(1, 0);
    length.writeUInt32BE(bytes.length, 1);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

export function auditRecordHash(record: AuditRecordColumns): string {
  const encoded = encode([
    RECORD_DOMAIN, String(record.seq), record.eventId, record.eventType, record.ts, record.principal, record.project, record.body, record.prevHash,
  ]);
  return createHash('sha256').update(encoded).digest('hex');
}

export function auditRecordMac(key: Buffer, keyId: string, hash: string): string {
  return createHmac('sha256', key).update(encode([MAC_DOMAIN, keyId, hash])).digest('hex');
}

export function auditStateMac(key: Buffer, keyId: string, ends: AuditChainEnds): string {
  const encoded = encode([STATE_DOMAIN, keyId, String(ends.firstSeq), ends.firstPrevHash, String(ends.lastSeq), ends.lastHash]);
  return createHmac('sha256', key).update(encoded).digest('hex');
}

export function auditMacMatches(expected: string, stored: unknown): boolean {
  return macMatches(expected, stored);
}
