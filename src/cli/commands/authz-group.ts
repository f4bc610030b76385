import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { authzExplainCommand } from './authz-explain.ts';

/** `lakefn authz <verb>`: the authorization function, from the outside. */
export function authzGroup(context: CliContext): Command {
  return new Command('authz').description('authorization: explain how a statement would be decided').addCommand(authzExplainCommand(context));
}
