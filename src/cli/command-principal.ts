import type { Command } from 'commander';
import { LakefnError } from '../errors/index.ts';
import { actingAs, localPrincipal, type AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import { tokenize } from '../sql/lexer.ts';
import { TokenCursor } from '../sql/token-cursor.ts';
import type { CliContext } from './cli-context.ts';
import { globalOptions } from './global-options.ts';

/**
 * Who a CLI command runs as. The local CLI has direct access to the catalog (and its store key), so it is the
 * catalog's bootstrap super administrator, `local:<os user>` in the audit log; `--as USER` runs the command as that
 * catalog user instead (the audit records both), so an administrator can check what a user may do.
 */
export function commandPrincipal(command: Command): AuthenticatedPrincipal {
  const local = localPrincipal(undefined, 'local');
  const as = globalOptions(command).as;
  return as === undefined ? local : actingAs(local, readIdentifier(as, '--as', 'a user name'));
}

/** The current project: `--project`, else LAKEFN_PROJECT, else undefined (the executor's `default`). */
export function commandProject(context: CliContext, command: Command): string | undefined {
  const chosen = globalOptions(command).project ?? (context.environment['LAKEFN_PROJECT'] || undefined);
  return chosen === undefined ? undefined : readIdentifier(chosen, globalOptions(command).project === undefined ? 'LAKEFN_PROJECT' : '--project', 'a project name');
}

/** A name given on the command line, read with the SQL identifier rules (unquoted names fold to lower case). */
function readIdentifier(text: string, flag: string, what: string): string {
  try {
    const cursor = new TokenCursor(text, tokenize(text));
    const { name } = cursor.expectIdentifier(what);
    if (cursor.peek().kind !== 'end') throw cursor.fail(`expected only ${what} (quote it with "…" if it has special characters)`);
    return name;
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    throw new LakefnError('E_USAGE', `${flag}: ${error.message}`, { cause: error });
  }
}
