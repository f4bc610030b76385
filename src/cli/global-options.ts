import { type Command, Option } from 'commander';

/**
 * The options every command understands, declared once on the program (`lakefn --home DIR …` or
 * `lakefn … --home DIR`: commander reads a program option anywhere on the line). A command reads them with
 * `globalOptions(command)`, never by declaring its own.
 *
 * To add one: give it a field in GlobalOptions and
 * an Option in `globalOptionList`; every command, present and future, then has it, and `--help` lists it under
 * "Global Options".
 */
export interface GlobalOptions {
  /** lakefn's state directory (SQLite catalog, store.key, config.json). */
  readonly home?: string;
  /** Machine output: one JSON document (each command's help says which). */
  readonly json?: boolean;
  /** The current project (names resolve in it): read through `commandProject`, which falls back to LAKEFN_PROJECT. */
  readonly project?: string;
  /** Run as this catalog user (the local super administrator only): read through `commandPrincipal`. */
  readonly as?: string;
  /** Run the command on this `lakefn serve` (token from LAKEFN_TOKEN): read through `remoteServer`. */
  readonly server?: string;
}

function globalOptionList(): readonly Option[] {
  return [
    new Option('--home <dir>', "lakefn's state directory: SQLite catalog and store.key (default: $LAKEFN_HOME, else ./.lakefn)"),
    new Option('--json', 'machine output: one JSON document (each command says which)'),
    new Option('--project <name>', 'the current project: connection and function names resolve in it (default: $LAKEFN_PROJECT, else default)'),
    new Option('--as <user>', 'run the command as this catalog user, to check what the user may do (only the local super administrator may; audited)'),
    new Option('--server <url>', 'run sql, connection, function, invoke and audit on this lakefn serve, authenticated by $LAKEFN_TOKEN (no local catalog needed)'),
  ];
}

export function addGlobalOptions(program: Command): Command {
  for (const option of globalOptionList()) program.addOption(option);
  return program;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Says in a command's help what `--json` prints for it (the option itself is global). */
export function describeJsonOutput(command: Command, document: string): Command {
  return command.addHelpText('after', `\nWith --json: ${document}.`);
}
