// Runs the real `lakefn` executable (node bin/lakefn.js) in a child process, as a user would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '../../src/errors/index.ts';

export const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/lakefn.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The parent's environment without any LAKEFN_* variable (so a developer's LAKEFN_STORE or LAKEFN_HOME
 * never leaks into a test), plus `environment`.
 */
export function cliEnvironment(environment: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => !entry[0].startsWith('LAKEFN_') && entry[1] !== undefined));
  return { ...base, ...environment };
}

export async function runCli(args: readonly string[], options: { readonly environment?: Record<string, string>; readonly cwd?: string; readonly input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPOSITORY, env: cliEnvironment(options.environment), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Parses stdout as the single JSON document `--json` promises. */
export function jsonOf(run: CliRun): unknown {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** An error the CLI is expected to report: its exit code (1 rejected, 2 usage), its code and its message. */
export interface ExpectedCliError {
  readonly exit: 1 | 2;
  readonly code: ErrorCode;
  /** The message after `lakefn: CODE: ` (exactly, or matching; it may continue on following lines). */
  readonly message: string | RegExp;
}

/**
 * Asserts that a run failed as the CLI reports errors: the exit code, and a last error line on stderr that reads
 * `lakefn: CODE: message` (lines before it, such as notices or a stats table, are allowed). Returns the message.
 */
export function expectCliError(run: CliRun, expected: ExpectedCliError): string {
  const shown = `\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  assert.equal(run.code, expected.exit, `expected exit ${expected.exit}, got ${run.code}${shown}`);
  const start = run.stderr.lastIndexOf('lakefn: E_');
  assert.ok(start !== -1, `no "lakefn: E_…" error line on stderr${shown}`);
  const rendered = /^lakefn: (E_[A-Z0-9_]+): ([\s\S]*?)\n?$/.exec(run.stderr.slice(start));
  assert.ok(rendered !== null, `the error line is not "lakefn: CODE: message"${shown}`);
  const [, code, message] = rendered as unknown as [string, string, string];
  assert.equal(code, expected.code, `expected ${expected.code}${shown}`);
  if (typeof expected.message === 'string') assert.equal(message, expected.message);
  else assert.match(message, expected.message);
  return message;
}
