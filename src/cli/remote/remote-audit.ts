import { z } from 'zod';
import { LakefnError } from '../../errors/index.ts';
import { AUDIT_EVENT_TYPES, type AuditFilter, type AuditPrune, type AuditRecord, type AuditValue, type AuditVerification } from '../../store/audit-log.ts';
import type { RemoteServer } from './remote-server.ts';

/** `lakefn audit list|verify|prune --server`: the server's audit routes, answers read back into the local types. */

const recordSchema = z.object({
  seq: z.number(),
  event_id: z.string(),
  type: z.enum(AUDIT_EVENT_TYPES),
  ts: z.string(),
  principal: z.string(),
  project: z.string().nullable(),
  body: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
  key_id: z.string(),
});

const verificationSchema = z.object({
  ok: z.boolean(),
  verified: z.number(),
  firstSeq: z.number(),
  lastSeq: z.number(),
  failure: z.object({ seq: z.number().nullable(), eventId: z.string().nullable(), type: z.string().nullable(), ts: z.string().nullable(), reason: z.string() }).optional(),
});

const pruneSchema = z.object({ pruned: z.number(), firstSeq: z.number(), anchorHash: z.string() });

export async function listAuditRemotely(server: RemoteServer, filter: AuditFilter, project: string | undefined, onRecord: (record: AuditRecord) => void): Promise<number> {
  const query = new URLSearchParams();
  if (filter.since !== undefined) query.set('since', filter.since);
  if (filter.principal !== undefined) query.set('principal', filter.principal);
  for (const type of filter.types ?? []) query.append('type', type);
  if (project !== undefined) query.set('project', project);
  const answer = await server.call('GET', `/v1/audit?${query.toString()}`);
  const records = read(z.array(recordSchema), answer, server, '/v1/audit');
  for (const record of records) {
    onRecord({
      seq: record.seq, eventId: record.event_id, type: record.type, ts: record.ts, principal: record.principal, project: record.project,
      body: record.body as { readonly [key: string]: AuditValue }, prevHash: record.prev_hash, hash: record.hash, keyId: record.key_id,
    });
  }
  return records.length;
}

export async function verifyAuditRemotely(server: RemoteServer): Promise<AuditVerification> {
  const verification = read(verificationSchema, await server.call('GET', '/v1/audit/verify'), server, '/v1/audit/verify');
  return { ...verification, failure: verification.failure };
}

export async function pruneAuditRemotely(server: RemoteServer, before: string): Promise<AuditPrune> {
  return read(pruneSchema, await server.call('POST', '/v1/audit/prune', { before }), server, '/v1/audit/prune');
}

function read<T>(schema: z.ZodType<T>, answer: unknown, server: RemoteServer, path: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new LakefnError('E_REMOTE_PROTOCOL', `${server.url.origin}${path} answered in a shape this lakefn does not know; is --server a lakefn serve of this version?`);
  return parsed.data;
}
