import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import { auditMacMatches, auditRecordHash, auditRecordMac, auditStateMac, type AuditChainEnds, type AuditRecordColumns } from './audit-chain.ts';
import { AUDIT_COLUMNS, AUDIT_TABLE, CATALOG_STATE_TABLE } from './catalog-schema.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

export const AUDIT_EVENT_TYPES = ['ADMIN', 'AUTHZ', 'INVOKE_SUMMARY', 'INVOKE_ATTEMPT'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** A JSON-safe value (what a record's body holds). */
export type AuditValue = string | number | boolean | null | readonly AuditValue[] | { readonly [key: string]: AuditValue };

/** What a caller appends: the indexed columns and a JSON body with the rest (governance-security §6.9 fields). */
export interface AuditEvent {
  readonly type: AuditEventType;
  /** The principal as the audit names it: `alice`, `local:root`. */
  readonly principal: string;
  /** The project the event concerns (null for account-wide events). */
  readonly project: string | null;
  readonly body: { readonly [key: string]: AuditValue };
  /** @default now */
  readonly ts?: string;
}

/** A record as stored: its columns, its body parsed, and where it sits in the chain. */
export interface AuditRecord {
  readonly seq: number;
  readonly eventId: string;
  readonly type: AuditEventType;
  readonly ts: string;
  readonly principal: string;
  readonly project: string | null;
  readonly body: { readonly [key: string]: AuditValue };
  readonly prevHash: string;
  readonly hash: string;
  readonly keyId: string;
}

export interface AuditFilter {
  /** ISO-8601: records at or after this time. */
  readonly since?: string | undefined;
  /** ISO-8601: records before this time. */
  readonly before?: string | undefined;
  readonly principal?: string | undefined;
  readonly types?: readonly AuditEventType[] | undefined;
  /** Only records of these projects (project-scoped readers: MONITOR). */
  readonly projects?: readonly string[] | undefined;
}

/** The first record (or chain end) that does not verify, named for `lakefn audit verify`. */
export interface AuditFailure {
  /** The record's seq, or null when the chain's ends themselves do not verify. */
  readonly seq: number | null;
  readonly eventId: string | null;
  readonly type: string | null;
  readonly ts: string | null;
  readonly reason: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Records that verified before the first failure (all of them when ok). */
  readonly verified: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly failure: AuditFailure | undefined;
}

export interface AuditPrune {
  readonly pruned: number;
  /** The first record kept (the prune record itself when everything before it went). */
  readonly firstSeq: number;
  /** The hash the first kept record links to: the last pruned record's. */
  readonly anchorHash: string;
}

const PAGE_SIZE = 1000;
const INSERT_AUDIT = `INSERT INTO ${AUDIT_TABLE} (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
const STATE_COLUMNS = 'mac_key_id, audit_first_seq, audit_first_prev_hash, audit_last_seq, audit_last_hash, audit_state_mac';

/**
 * The append-only audit log inside one transaction: appends (in write transactions, which are serialised, so the
 * chain is a line), reads, verification and pruning. See audit-chain.ts for the hash chain and its MACs.
 */
export class AuditLog {
  readonly #sql: SqlSession;
  readonly #keyring: StoreKeyring;
  readonly #location: string;

  constructor(sql: SqlSession, keyring: StoreKeyring, location: string) {
    this.#sql = sql;
    this.#keyring = keyring;
    this.#location = location;
  }

  /**
   * Appends records at the end of the chain (write transactions only). The chain's ends are verified first: when
   * they were changed outside lakefn nothing is appended (E_STORE_TAMPERED), and so nothing the record would describe
   * is committed either.
   */
  async append(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
    if (events.length === 0) return [];
    const state = await this.#state();
    if (state.failure !== undefined) throw this.#chainDamaged(state.failure);
    const key = this.#keyring.current();
    let { lastSeq, lastHash } = state.ends;
    const appended: AuditRecord[] = [];
    for (const event of events) {
      const columns: AuditRecordColumns = {
        seq: lastSeq + 1,
        eventId: randomUUID(),
        eventType: event.type,
        ts: event.ts ?? new Date().toISOString(),
        principal: event.principal,
        project: event.project,
        body: JSON.stringify(event.body),
        prevHash: lastHash,
      };
      const hash = auditRecordHash(columns);
      await this.#sql.run(INSERT_AUDIT, [
        columns.seq, columns.eventId, columns.eventType, columns.ts, columns.principal, columns.project, columns.body, columns.prevHash, hash, key.id,
        auditRecordMac(key.key, key.id, hash),
      ]);
      appended.push({ ...columns, type: event.type, body: event.body, hash, keyId: key.id });
      lastSeq = columns.seq;
      lastHash = hash;
    }
    await this.#writeEnds({ ...state.ends, lastSeq, lastHash }, key);
    return appended;
  }

  /** Records in seq order matching `filter`, after `afterSeq`, at most `limit` of them (not verified: `verify` does that). */
  async list(filter: AuditFilter, afterSeq = 0, limit = PAGE_SIZE): Promise<AuditRecord[]> {
    const conditions = ['seq > ?'];
    const parameters: (string | number)[] = [afterSeq];
    if (filter.since !== undefined) {
      conditions.push('ts >= ?');
      parameters.push(filter.since);
    }
    if (filter.before !== undefined) {
      conditions.push('ts < ?');
      parameters.push(filter.before);
    }
    if (filter.principal !== undefined) {
      conditions.push('principal = ?');
      parameters.push(filter.principal);
    }
    if (filter.types !== undefined) {
      conditions.push(`event_type IN (${filter.types.map(() => '?').join(', ')})`);
      parameters.push(...filter.types);
    }
    if (filter.projects !== undefined) {
      if (filter.projects.length === 0) return [];
      conditions.push(`project IN (${filter.projects.map(() => '?').join(', ')})`);
      parameters.push(...filter.projects);
    }
    const rows = await this.#sql.all(`SELECT * FROM ${AUDIT_TABLE} WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${Math.max(1, Math.floor(limit))}`, parameters);
    return rows.map((row) => parseRecord(row));
  }

  /** Walks the whole chain (in pages) and reports the first record, or chain end, that does not verify. */
  async verify(): Promise<AuditVerification> {
    const state = await this.#state();
    const { ends } = state;
    if (state.failure !== undefined) return { ok: false, verified: 0, firstSeq: ends.firstSeq, lastSeq: ends.lastSeq, failure: state.failure };
    let expectedSeq = ends.firstSeq;
    let expectedPrevHash = ends.firstPrevHash;
    let verified = 0;
    const fail = (failure: AuditFailure): AuditVerification => ({ ok: false, verified, firstSeq: ends.firstSeq, lastSeq: ends.lastSeq, failure });
    const [before] = await this.#sql.all(`SELECT seq, event_id, event_type, ts FROM ${AUDIT_TABLE} WHERE seq < ? ORDER BY seq LIMIT 1`, [ends.firstSeq]);
    if (before !== undefined) {
      return fail({ ...named(before), reason: `it lies before the first record the chain keeps (${ends.firstSeq}): it was inserted outside lakefn` });
    }
    for (let after = ends.firstSeq - 1; ; ) {
      const rows = await this.#sql.all(`SELECT * FROM ${AUDIT_TABLE} WHERE seq > ? ORDER BY seq LIMIT ${PAGE_SIZE}`, [after]);
      for (const row of rows) {
        const problem = this.#checkRecord(row, expectedSeq, expectedPrevHash);
        if (problem !== undefined) return fail(problem);
        verified += 1;
        expectedSeq += 1;
        expectedPrevHash = String(row['hash']);
      }
      if (rows.length < PAGE_SIZE) break;
      after = Number(rows[rows.length - 1]?.['seq']);
    }
    if (expectedSeq - 1 !== ends.lastSeq || expectedPrevHash !== ends.lastHash) {
      return fail({
        seq: ends.lastSeq, eventId: null, type: null, ts: null,
        reason: expectedSeq - 1 < ends.lastSeq
          ? `the chain ends at record ${expectedSeq - 1}, but lakefn last appended record ${ends.lastSeq}: records ${expectedSeq}..${ends.lastSeq} were deleted outside lakefn`
          : `the last record does not match the chain's recorded end (${ends.lastSeq})`,
      });
    }
    return { ok: true, verified, firstSeq: ends.firstSeq, lastSeq: ends.lastSeq, failure: undefined };
  }

  /**
   * Deletes the records before `before` (a prefix of the chain) after verifying the whole chain (a broken chain is
   * never pruned: that could hide the damage), and moves the chain's start to the first record kept, which still
   * links to the last pruned record's hash. The caller appends the prune's own record afterwards.
   */
  async prune(before: string): Promise<AuditPrune> {
    const verification = await this.verify();
    if (!verification.ok && verification.failure !== undefined) throw this.#chainDamaged(verification.failure);
    const state = await this.#state();
    const [cut] = await this.#sql.all(`SELECT seq, prev_hash FROM ${AUDIT_TABLE} WHERE seq >= ? AND ts >= ? ORDER BY seq LIMIT 1`, [state.ends.firstSeq, before]);
    const firstSeq = cut === undefined ? state.ends.lastSeq + 1 : Number(cut['seq']);
    const anchorHash = cut === undefined ? state.ends.lastHash : String(cut['prev_hash']);
    const pruned = await this.#sql.run(`DELETE FROM ${AUDIT_TABLE} WHERE seq < ?`, [firstSeq]);
    await this.#writeEnds({ ...state.ends, firstSeq, firstPrevHash: anchorHash }, this.#keyring.current());
    return { pruned, firstSeq, anchorHash };
  }

  /** Key rotation: every record and the chain's ends MAC'd with `key` (the caller verified the chain first). */
  async resign(key: StoreKey): Promise<number> {
    let count = 0;
    for (let after = 0; ; ) {
      const rows = await this.#sql.all(`SELECT seq, hash FROM ${AUDIT_TABLE} WHERE seq > ? ORDER BY seq LIMIT ${PAGE_SIZE}`, [after]);
      for (const row of rows) {
        await this.#sql.run(`UPDATE ${AUDIT_TABLE} SET mac_key_id = ?, mac = ? WHERE seq = ?`, [key.id, auditRecordMac(key.key, key.id, String(row['hash'])), Number(row['seq'])]);
        count += 1;
      }
      if (rows.length < PAGE_SIZE) break;
      after = Number(rows[rows.length - 1]?.['seq']);
    }
    const state = await this.#state();
    await this.#writeEnds(state.ends, key);
    return count;
  }

  /** Signs the chain's ends as they are (migration 3 starts an empty chain with them). */
  async initialiseEnds(key: StoreKey): Promise<void> {
    await this.#writeEnds({ firstSeq: 1, firstPrevHash: '0'.repeat(64), lastSeq: 0, lastHash: '0'.repeat(64) }, key);
  }

  #checkRecord(row: SqlRow, expectedSeq: number, expectedPrevHash: string): AuditFailure | undefined {
    const record = named(row);
    const seq = Number(row['seq']);
    if (seq !== expectedSeq) {
      return { ...record, reason: seq > expectedSeq ? `record ${expectedSeq}${seq - expectedSeq > 1 ? `..${seq - 1}` : ''} before it is missing (deleted outside lakefn)` : 'its sequence number is out of order' };
    }
    const columns = columnsOf(row);
    if (columns === undefined) return { ...record, reason: 'a column holds a value lakefn never writes' };
    if (columns.prevHash !== expectedPrevHash) return { ...record, reason: 'it does not link to the record before it (prev_hash differs): a record was changed, inserted or removed' };
    if (auditRecordHash(columns) !== row['hash']) return { ...record, reason: 'its contents do not match its hash: a column was changed outside lakefn' };
    const keyId = row['mac_key_id'];
    const key = typeof keyId === 'string' ? this.#keyring.forId(keyId) : undefined;
    if (key === undefined) return { ...record, reason: `it is signed with store key ${String(keyId)}, which this process does not hold (${this.#keyring.path})` };
    if (!auditMacMatches(auditRecordMac(key, String(keyId), String(row['hash'])), row['mac'])) return { ...record, reason: 'its MAC does not verify: it was written or re-hashed by someone without the store key' };
    if (!(AUDIT_TYPES as readonly unknown[]).includes(row['event_type'])) return { ...record, reason: 'its event type is unknown' };
    return undefined;
  }

  async #state(): Promise<{ ends: AuditChainEnds; failure: AuditFailure | undefined }> {
    const [row] = await this.#sql.all(`SELECT ${STATE_COLUMNS} FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
    if (row === undefined) throw new LakefnError('E_STORE', `the catalog in ${this.#location} has no ${CATALOG_STATE_TABLE} row (it was changed outside lakefn); restore it from backup`);
    const ends: AuditChainEnds = {
      firstSeq: Number(row['audit_first_seq']),
      firstPrevHash: String(row['audit_first_prev_hash']),
      lastSeq: Number(row['audit_last_seq']),
      lastHash: String(row['audit_last_hash']),
    };
    const keyId = String(row['mac_key_id']);
    const key = this.#keyring.forId(keyId);
    const valid = key !== undefined && Number.isSafeInteger(ends.firstSeq) && Number.isSafeInteger(ends.lastSeq)
      && auditMacMatches(auditStateMac(key, keyId, ends), row['audit_state_mac']);
    const failure: AuditFailure | undefined = valid
      ? undefined
      : { seq: null, eventId: null, type: null, ts: null, reason: `the chain's recorded ends (${CATALOG_STATE_TABLE}: first and last record) do not verify: they were changed outside lakefn` };
    return { ends, failure };
  }

  async #writeEnds(ends: AuditChainEnds, key: StoreKey): Promise<void> {
    await this.#sql.run(
      `UPDATE ${CATALOG_STATE_TABLE} SET audit_first_seq = ?, audit_first_prev_hash = ?, audit_last_seq = ?, audit_last_hash = ?, audit_state_mac = ? WHERE id = 1`,
      [ends.firstSeq, ends.firstPrevHash, ends.lastSeq, ends.lastHash, auditStateMac(key.key, key.id, ends)],
    );
  }

  #chainDamaged(failure: AuditFailure): LakefnError {
    return new LakefnError(
      'E_STORE_TAMPERED',
      `the audit log in ${this.#location} does not verify (${describeAuditFailure(failure)}); lakefn refuses to change the catalog or the log until it is ` +
        'repaired, because no change may go unrecorded. Run `lakefn audit verify`, restore the log from backup, then retry',
      { data: { failure: { ...failure } } },
    );
  }
}

const AUDIT_TYPES: readonly string[] = AUDIT_EVENT_TYPES;

/** `record 42 (ADMIN at 2026-…, event 1f…): <reason>` or the reason alone for the chain's ends. */
export function describeAuditFailure(failure: AuditFailure): string {
  if (failure.seq === null) return failure.reason;
  const what = failure.type === null ? `record ${failure.seq}` : `record ${failure.seq} (${failure.type} at ${failure.ts ?? '?'}, event ${failure.eventId ?? '?'})`;
  return `${what}: ${failure.reason}`;
}

function named(row: SqlRow): Omit<AuditFailure, 'reason'> {
  const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return { seq: Number(row['seq']), eventId: textOrNull(row['event_id']), type: textOrNull(row['event_type']), ts: textOrNull(row['ts']) };
}

function columnsOf(row: SqlRow): AuditRecordColumns | undefined {
  const strings = ['event_id', 'event_type', 'ts', 'principal', 'body', 'prev_hash', 'hash'];
  if (strings.some((column) => typeof row[column] !== 'string')) return undefined;
  const project = row['project'];
  if (project !== null && typeof project !== 'string') return undefined;
  const seq = Number(row['seq']);
  if (!Number.isSafeInteger(seq)) return undefined;
  return {
    seq,
    eventId: String(row['event_id']),
    eventType: String(row['event_type']),
    ts: String(row['ts']),
    principal: String(row['principal']),
    project,
    body: String(row['body']),
    prevHash: String(row['prev_hash']),
  };
}

function parseRecord(row: SqlRow): AuditRecord {
  const columns = columnsOf(row);
  if (columns === undefined) throw new LakefnError('E_STORE_TAMPERED', `audit record ${String(row['seq'])} holds values lakefn never writes; run \`lakefn audit verify\``);
  let body: { readonly [key: string]: AuditValue };
  try {
    body = JSON.parse(columns.body) as { readonly [key: string]: AuditValue };
  } catch {
    throw new LakefnError('E_STORE_TAMPERED', `audit record ${columns.seq} has a body that is not JSON; run \`lakefn audit verify\``);
  }
  return {
    seq: columns.seq,
    eventId: columns.eventId,
    type: columns.eventType as AuditEventType,
    ts: columns.ts,
    principal: columns.principal,
    project: columns.project,
    body,
    prevHash: columns.prevHash,
    hash: String(row['hash']),
    keyId: String(row['mac_key_id']),
  };
}
