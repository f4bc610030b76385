import type { Command } from 'commander';
import { ensureGlobalOptions } from '../create-services.ts';

/** The `lakefn connection` command that every `connection-<verb>.ts` adds its sub-command to. */
export function connectionGroup(program: Command): Command {
  ensureGlobalOptions(program);
  const existing = program.commands.find((command) => command.name() === 'connection');
  if (existing !== undefined) return existing;
  return program
    .command('connection')
    .description('manage API CONNECTIONs (the same operations as the SQL DDL: create, list, desc, alter, rotate, validate, drop)');
}
