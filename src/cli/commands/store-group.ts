import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { storeRotateKeyCommand } from './store-rotate-key.ts';

/** `lakefn store <verb>`: catalog maintenance, one sub-command per `store-<verb>.ts`. */
export function storeGroup(context: CliContext): Command {
  return new Command('store').description('maintain the catalog store (rotate-key)').addCommand(storeRotateKeyCommand(context));
}
