import type { AuditRecord } from '../store/audit-log.ts';

/** An audit record as `lakefn audit list --json` and `GET /v1/audit` print it (snake_case keys). */
export function auditRecordJson(record: AuditRecord): Record<string, unknown> {
  return {
    seq: record.seq,
    event_id: record.eventId,
    type: record.type,
    ts: record.ts,
    principal: record.principal,
    project: record.project,
    body: record.body,
    prev_hash: record.prevHash,
    hash: record.hash,
    key_id: record.keyId,
  };
}
