import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { auditGroup } from './commands/audit-group.ts';
import { authzGroup } from './commands/authz-group.ts';
import { connectionGroup } from './commands/connection-group.ts';
import { demoCommand } from './commands/demo-run.ts';
import { functionGroup } from './commands/function-group.ts';
import { invokeCommand } from './commands/invoke-function.ts';
import { mockCommand } from './commands/mock-start.ts';
import { queryCommand } from './commands/query-run.ts';
import { serveCommand } from './commands/serve-start.ts';
import { sqlCommand } from './commands/sql-execute.ts';
import { storeGroup } from './commands/store-group.ts';

/**
 * The program's top-level commands, in the order `lakefn --help` lists them. A command is a module exporting a
 * factory `xCommand(context): Command`; a group (`connection`, `function`) is a `x-group.ts` that builds
 * `new Command('x')` and `addCommand`s its `x-<verb>.ts` factories. To add a group: write its verbs and its
 * group file the same way (see store-group.ts) and list the group here.
 */
export function topLevelCommands(context: CliContext): readonly Command[] {
  return [
    sqlCommand(context),
    connectionGroup(context),
    functionGroup(context),
    mockCommand(context),
    invokeCommand(context),
    queryCommand(context),
    serveCommand(context),
    demoCommand(context),
    storeGroup(context),
    auditGroup(context),
    authzGroup(context),
  ];
}
