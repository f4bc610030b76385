import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { connectionAlterCommand } from './connection-alter.ts';
import { connectionCreateCommand } from './connection-create.ts';
import { connectionDescCommand } from './connection-desc.ts';
import { connectionDropCommand } from './connection-drop.ts';
import { connectionListCommand } from './connection-list.ts';
import { connectionRotateCommand } from './connection-rotate.ts';
import { connectionValidateCommand } from './connection-validate.ts';

/** `lakefn connection <verb>`: one sub-command per `connection-<verb>.ts`, in the order `--help` lists them. */
export function connectionGroup(context: CliContext): Command {
  return new Command('connection')
    .description('manage API CONNECTIONs (the same operations as the SQL DDL: create, list, desc, alter, rotate, validate, drop)')
    .addCommand(connectionCreateCommand(context))
    .addCommand(connectionListCommand(context))
    .addCommand(connectionDescCommand(context))
    .addCommand(connectionAlterCommand(context))
    .addCommand(connectionRotateCommand(context))
    .addCommand(connectionValidateCommand(context))
    .addCommand(connectionDropCommand(context));
}
