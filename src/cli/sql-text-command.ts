import { Command, type ParseOptionsResult } from 'commander';

/** What an option looks like: `-x`, `-xyz`, `--name`, `--name=value` (a name without whitespace). */
const OPTION_SHAPE = /^--?[A-Za-z][A-Za-z0-9-]*(?:=|$)/;

/**
 * A command that takes SQL text as an argument (`lakefn sql`, `lakefn query`). Commander reads every argument
 * that starts with '-' as an option, so `lakefn sql "-- note
 * CREATE …"` was refused as an unknown option. Here an argument that cannot be an option (it is not shaped like
 * `--name` or `-x`, e.g. it starts with `-- ` or holds a line break) is SQL text, unless it is the value of the
 * option before it. Everything else (`--json`, `-f FILE`, typos such as `--jsn`) is parsed by commander as usual.
 */
export class SqlTextCommand extends Command {
  override parseOptions(argv: string[]): ParseOptionsResult {
    const texts = new Map<string, string>();
    const masked = argv.map((argument, index) => {
      if (!isSqlText(argument) || this.#takesValue(argv[index - 1])) return argument;
      // NUL cannot occur in a process argument, so the placeholder never meets a real one
      const placeholder = `\u0000sql-text-${index}`;
      texts.set(placeholder, argument);
      return placeholder;
    });
    const parsed = super.parseOptions(masked);
    const restore = (list: string[]): string[] => list.map((argument) => texts.get(argument) ?? argument);
    return { operands: restore(parsed.operands), unknown: restore(parsed.unknown) };
  }

  #takesValue(previous: string | undefined): boolean {
    if (previous === undefined) return false;
    return this.options.some((option) => (option.long === previous || option.short === previous) && (option.required || option.optional));
  }
}

function isSqlText(argument: string): boolean {
  return argument.length > 1 && argument.startsWith('-') && argument !== '--' && !OPTION_SHAPE.test(argument);
}
