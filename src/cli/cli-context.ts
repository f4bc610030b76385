/** What every CLI command receives besides its own options: where to read and write, and the environment. */
export interface CliContext {
  /** Read by `--input -` and `-f -`. */
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Set by a command to the process exit code (0 ok, 1 rejected, 2 usage). */
  exitCode: number;
}
