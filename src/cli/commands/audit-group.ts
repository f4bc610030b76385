import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { auditListCommand } from './audit-list.ts';
import { auditPruneCommand } from './audit-prune.ts';
import { auditVerifyCommand } from './audit-verify.ts';

/** `lakefn audit <verb>`: the tamper-evident audit log, one sub-command per `audit-<verb>.ts`. */
export function auditGroup(context: CliContext): Command {
  return new Command('audit')
    .description('the audit log: verify its hash chain, list records, prune old ones')
    .addCommand(auditVerifyCommand(context))
    .addCommand(auditListCommand(context))
    .addCommand(auditPruneCommand(context));
}
