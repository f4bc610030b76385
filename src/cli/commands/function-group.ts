import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { functionDescCommand } from './function-desc.ts';
import { functionDropCommand } from './function-drop.ts';
import { functionListCommand } from './function-list.ts';

/** `lakefn function <verb>`: one sub-command per `function-<verb>.ts`, in the order `--help` lists them. */
export function functionGroup(context: CliContext): Command {
  return new Command('function')
    .description('inspect and drop EXTERNAL FUNCTIONs (create them with lakefn sql)')
    .addCommand(functionListCommand(context))
    .addCommand(functionDescCommand(context))
    .addCommand(functionDropCommand(context));
}
