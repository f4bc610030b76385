import { Command, CommanderError } from 'commander';
import { describeError, LakefnError } from '../errors/index.ts';
import type { CliContext } from './cli-context.ts';
import { topLevelCommands } from './command-list.ts';
import { addGlobalOptions, globalOptions } from './global-options.ts';
import { REMOTE_COMMANDS } from './remote/remote-server.ts';
import { PROVIDERS } from '../registry/providers.ts';

/**
 * Builds the `lakefn` program; separate from `main` so tests can run commands in-process. Global options are
 * declared once here (global-options.ts), the commands come from command-list.ts, and the program's settings
 * (output, exit override, help) are given to every command below it.
 */
export function createProgram(context: CliContext): Command {
  const program = new Command('lakefn')
    .description(`External-function dispatcher and connection broker for SQL engines (${PROVIDERS.map((provider) => provider.names.services.invoke).join(', ')})`)
    .version('0.1.0')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // commander's usage errors read like every other error: `lakefn: E_USAGE: …`
      outputError: (text, write) => write(`lakefn: E_USAGE: ${text.replace(/^error: /, '')}`),
    });
  addGlobalOptions(program);
  for (const command of topLevelCommands(context)) program.addCommand(command);
  // --server runs only the commands that have a remote form; the others need this machine's catalog
  program.hook('preAction', (_program, action) => {
    if (globalOptions(action).server === undefined) return;
    let top = action;
    while (top.parent !== null && top.parent !== program) top = top.parent;
    if (!REMOTE_COMMANDS.includes(top.name())) {
      throw new LakefnError('E_USAGE', `--server applies to ${REMOTE_COMMANDS.join(', ')}; lakefn ${top.name()} runs on this machine only`);
    }
  });
  inheritSettings(program);
  return program;
}

/** addCommand() does not pass the parent's settings down (command() does): copy them to the whole tree. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 an operation was rejected, 2 usage error. */
export async function main(argv: readonly string[], context: CliContext = defaultContext()): Promise<number> {
  const program = createProgram(context);
  try {
    await program.parseAsync(argv);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0
      return error.exitCode === 0 ? 0 : 2;
    }
    if (LakefnError.isInstance(error)) {
      context.stderr.write(`lakefn: ${describeError(error)}\n`);
      return error.code === 'E_USAGE' ? 2 : 1;
    }
    context.stderr.write(`lakefn: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function defaultContext(): CliContext {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, environment: process.env, exitCode: 0 };
}
