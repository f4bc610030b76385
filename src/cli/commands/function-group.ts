import type { Command } from 'commander';
import { ensureGlobalOptions } from '../create-services.ts';

/** The `lakefn function` command that every `function-<verb>.ts` adds its sub-command to. */
export function functionGroup(program: Command): Command {
  ensureGlobalOptions(program);
  const existing = program.commands.find((command) => command.name() === 'function');
  if (existing !== undefined) return existing;
  return program.command('function').description('inspect and drop EXTERNAL FUNCTIONs (create them with lakefn sql)');
}
