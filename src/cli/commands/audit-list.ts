import { Command, Option } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { listAuditRecords } from '../../governance/audit-access.ts';
import { auditRecordJson } from '../../governance/audit-record-json.ts';
import { normalizeInstant } from '../../sql/governance-parser.ts';
import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditRecord } from '../../store/audit-log.ts';
import type { CliContext } from '../cli-context.ts';
import { commandPrincipal, commandProject } from '../command-principal.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { withCatalogStore } from './with-catalog-store.ts';
import { listAuditRemotely } from '../remote/remote-audit.ts';
import { remoteServer } from '../remote/remote-server.ts';

interface ListOptions {
  readonly since?: string;
  readonly principal?: string;
  readonly type?: readonly string[];
}

/**
 * `lakefn audit list [--since T] [--principal u] [--type T …]`: the audit records in order. The whole log for `auditor`
 * and administrators; with `--project p` (or LAKEFN_PROJECT), the records of p for holders of MONITOR on it.
 */
export function auditListCommand(context: CliContext): Command {
  const command = new Command('list')
    .description('list audit records in order (whole log: auditor; one project with --project: MONITOR on it)')
    .option('--since <time>', "records at or after this ISO-8601 time (e.g. '2026-01-31' or '2026-01-31T08:00:00Z')")
    .option('--principal <name>', 'records of this principal only (e.g. alice, local:root)')
    .addOption(new Option('--type <type...>', 'records of these types only').choices(AUDIT_EVENT_TYPES))
    .action(async (options: ListOptions, self: Command) => {
      const since = options.since === undefined ? undefined : normalizeInstant(options.since);
      if (options.since !== undefined && since === undefined) throw new LakefnError('E_USAGE', `--since '${options.since.slice(0, 40)}' is not an ISO-8601 date or time`);
      const json = globalOptions(self).json === true;
      const filter = { since, principal: options.principal, types: options.type as readonly AuditEventType[] | undefined };
      let first = true;
      if (json) context.stdout.write('[');
      const onRecord = (record: AuditRecord): void => {
        if (json) {
          context.stdout.write(`${first ? '\n' : ',\n'}${JSON.stringify(auditRecordJson(record))}`);
          first = false;
        } else context.stdout.write(`${describeRecord(record)}\n`);
      };
      const server = remoteServer(context, self);
      const project = commandProject(context, self);
      const count = server !== undefined
        ? await listAuditRemotely(server, filter, project, onRecord)
        : await withCatalogStore(context, self, (store) => listAuditRecords(store, commandPrincipal(self), filter, project, onRecord));
      if (json) context.stdout.write(`${first ? '' : '\n'}]\n`);
      else context.stderr.write(`(${count} record${count === 1 ? '' : 's'})\n`);
    });
  return describeJsonOutput(command, 'a JSON array of records (seq, event_id, type, ts, principal, project, body, prev_hash, hash, key_id)');
}

/** One line: seq, time, type, principal, project, and what happened. */
function describeRecord(record: AuditRecord): string {
  const body = record.body;
  const text = (key: string): string => {
    const value = body[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  let what: string;
  switch (record.type) {
    case 'ADMIN':
      what = `${text('status')} ${text('statement') || text('statement_kind')}${text('error_code') === '' ? '' : ` (${text('error_code')})`}`;
      break;
    case 'AUTHZ':
      what = `${text('decision')} ${text('action')} ${text('resource')}${text('decision') === 'DENY' ? `: ${text('reason')}` : ''}`;
      break;
    case 'INVOKE_SUMMARY':
      what = `${text('status')} ${text('function_fqn')} query ${text('query_id')}: ${text('rows')} rows, ${text('batches')} batches, ${text('retries')} retries`;
      break;
    case 'INVOKE_ATTEMPT':
      what = `${text('status')} ${text('function_fqn')} batch ${text('batch_id')} attempt ${text('attempt')}${text('error_code') === '' ? '' : ` (${text('error_code')})`}`;
      break;
  }
  return [String(record.seq), record.ts, record.type, record.principal, record.project ?? '-', what].join('  ');
}
