import { Command } from 'commander';
import { verifyAuditLog } from '../../governance/audit-access.ts';
import { describeAuditFailure } from '../../store/audit-log.ts';
import type { CliContext } from '../cli-context.ts';
import { commandPrincipal } from '../command-principal.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';
import { withCatalogStore } from './with-catalog-store.ts';
import { verifyAuditRemotely } from '../remote/remote-audit.ts';
import { remoteServer } from '../remote/remote-server.ts';

/**
 * `lakefn audit verify`: walks the audit log's hash chain and checks every record's MAC; exit 0 when every record
 * verifies, 1 naming the first record (or chain end) that does not. For `auditor` and administrators.
 */
export function auditVerifyCommand(context: CliContext): Command {
  const command = new Command('verify')
    .description("check the audit log's hash chain and MACs; exit 1 naming the first record that does not verify")
    .action(async (_flags: unknown, self: Command) => {
      const server = remoteServer(context, self);
      const verification = server !== undefined ? await verifyAuditRemotely(server) : await withCatalogStore(context, self, (store) => verifyAuditLog(store, commandPrincipal(self)));
      if (globalOptions(self).json === true) {
        writeJson(context.stdout, {
          ok: verification.ok,
          verified: verification.verified,
          first_seq: verification.firstSeq,
          last_seq: verification.lastSeq,
          failure: verification.failure ?? null,
        });
      } else if (verification.ok) {
        const range = verification.verified === 0 ? 'the log is empty' : `records ${verification.firstSeq}..${verification.lastSeq}`;
        context.stdout.write(`audit log verified: ${verification.verified} record(s), ${range}${verification.firstSeq > 1 ? ` (records before ${verification.firstSeq} were pruned)` : ''}\n`);
      }
      if (!verification.ok && verification.failure !== undefined) {
        context.stderr.write(`lakefn: E_STORE_TAMPERED: the audit log does not verify: ${describeAuditFailure(verification.failure)} (${verification.verified} record(s) before it verified)\n`);
        context.exitCode = 1;
      }
    });
  return describeJsonOutput(command, 'one JSON object: ok, verified, first_seq, last_seq, failure');
}
