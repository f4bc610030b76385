import { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { pruneAuditLog } from '../../governance/audit-access.ts';
import { normalizeInstant } from '../../sql/governance-parser.ts';
import type { CliContext } from '../cli-context.ts';
import { commandPrincipal } from '../command-principal.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';
import { withCatalogStore } from './with-catalog-store.ts';
import { pruneAuditRemotely } from '../remote/remote-audit.ts';
import { remoteServer } from '../remote/remote-server.ts';

/**
 * `lakefn audit prune --before T`: deletes the records before T after verifying the whole chain (a damaged log is not
 * pruned), records the prune itself, and leaves the chain verifiable from the first record kept (it still links to the
 * last pruned record's hash, which the chain's recorded start keeps). For administrators.
 */
export function auditPruneCommand(context: CliContext): Command {
  const command = new Command('prune')
    .description('delete audit records before a time (the log is verified first; the prune is itself recorded)')
    .requiredOption('--before <time>', "delete records before this ISO-8601 time (e.g. '2026-01-01')")
    .action(async (options: { readonly before: string }, self: Command) => {
      const before = normalizeInstant(options.before);
      if (before === undefined) throw new LakefnError('E_USAGE', `--before '${options.before.slice(0, 40)}' is not an ISO-8601 date or time`);
      const server = remoteServer(context, self);
      const prune = server !== undefined
        ? await pruneAuditRemotely(server, before)
        : await withCatalogStore(context, self, (store) => pruneAuditLog(store, commandPrincipal(self), before, `lakefn audit prune --before ${before}`));
      if (globalOptions(self).json === true) writeJson(context.stdout, { pruned: prune.pruned, before, first_seq: prune.firstSeq, anchor_hash: prune.anchorHash });
      else context.stdout.write(`audit log pruned: ${prune.pruned} record(s) before ${before} deleted; the chain now starts at record ${prune.firstSeq} (anchor ${prune.anchorHash.slice(0, 16)}…)\n`);
    });
  return describeJsonOutput(command, 'one JSON object: pruned, before, first_seq, anchor_hash');
}
