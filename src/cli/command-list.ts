import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

type RegisterCommand = (program: Command, context: CliContext) => void;

/** Every CLI sub-command module, in the order `lakefn --help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
];
