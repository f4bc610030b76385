import type { Command } from 'commander';
import { z } from 'zod';
import { parseJsonExact } from '../../codec/exact-json-parser.ts';
import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.ts';
import { LakefnError } from '../../errors/index.ts';
import type { StatementResult } from '../../sql/execute-result.ts';
import type { CliContext } from '../cli-context.ts';
import { globalOptions } from '../global-options.ts';

/** A `lakefn serve` the CLI runs its command on (`--server URL`, token from LAKEFN_TOKEN). */
export interface RemoteServer {
  readonly url: URL;
  /** POST (with a JSON body) or GET; the answer's JSON on 2xx, else the server's error as a LakefnError (with `body` for partial results). */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
  /** `call` with a body that is already JSON text (lossless values: BIGINT beyond 2^53, DECIMAL). */
  callWithJson(path: string, json: string): Promise<unknown>;
}

/** The commands `--server` runs remotely; every other command refuses it (they need the local catalog or the local machine). */
export const REMOTE_COMMANDS: readonly string[] = ['sql', 'connection', 'function', 'invoke', 'audit'];

const TIMEOUT_MS = 3_600_000;

/** The remote server of this command line, or undefined when `--server` is not given. */
export function remoteServer(context: CliContext, command: Command): RemoteServer | undefined {
  const options = globalOptions(command);
  if (options.server === undefined) return undefined;
  if (options.as !== undefined) throw new LakefnError('E_USAGE', '--as cannot be combined with --server: the server runs the command as the principal LAKEFN_TOKEN authenticates');
  if (options.home !== undefined) throw new LakefnError('E_USAGE', '--home cannot be combined with --server: the server uses its own catalog');
  const url = URL.canParse(options.server) ? new URL(options.server) : undefined;
  if (url === undefined || !/^https?:$/.test(url.protocol)) throw new LakefnError('E_USAGE', `--server '${options.server.slice(0, 120)}' is not an http:// or https:// URL (e.g. https://lakefn.example.com:8765)`);
  const token = context.environment['LAKEFN_TOKEN'];
  if (token === undefined || token === '') {
    throw new LakefnError('E_USAGE', '--server needs a credential in LAKEFN_TOKEN (an API token from ALTER USER <you> ADD TOKEN, an OpenID Connect ID token, or LAKEFN_SERVE_TOKEN)');
  }
  const call = async (method: 'GET' | 'POST', path: string, json: string | undefined): Promise<unknown> => {
      const target = new URL(path, url);
      // loaded on use: only --server commands pay for the HTTP client
      const { request } = await import('undici');
      let answer;
      try {
        answer = await request(target, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(json === undefined ? {} : { body: json }),
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        });
      } catch (error) {
        throw new LakefnError('E_TRANSPORT', `cannot reach lakefn serve at ${url.origin}: ${(error as Error).message}`, { cause: error });
      }
      const text = await answer.body.text();
      let parsed: unknown;
      try {
        parsed = parseJsonExact(text);
      } catch {
        throw new LakefnError('E_REMOTE_PROTOCOL', `${url.origin}${target.pathname} answered HTTP ${answer.statusCode} with a body that is not JSON; is --server a lakefn serve?`);
      }
      if (answer.statusCode >= 200 && answer.statusCode < 300) return parsed;
      throw remoteError(parsed, answer.statusCode, `${url.origin}${target.pathname}`);
  };
  return {
    url,
    call: (method, path, body) => call(method, path, body === undefined ? undefined : JSON.stringify(body)),
    callWithJson: (path, json) => call('POST', path, json),
  };
}

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    retryable: z.boolean().optional(),
    location: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The server's error as the local one would have been (same code, message, location), the body kept for partial results. */
function remoteError(body: unknown, status: number, where: string): LakefnError {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success || !(parsed.data.error.code in ERROR_CODES)) {
    return new LakefnError('E_REMOTE_PROTOCOL', `${where} answered HTTP ${status} without a lakefn error; is --server a lakefn serve?`);
  }
  const { code, message, retryable, location, data } = parsed.data.error;
  return new LakefnError(code as ErrorCode, message, {
    ...(retryable === undefined ? {} : { retryable }),
    ...(location === undefined ? {} : { location }),
    data: { ...data, remote_body: body },
  });
}

const statementResults = z.array(z.looseObject({ kind: z.enum(['table', 'connection-description', 'function-description', 'change']), statement: z.string(), notices: z.array(z.string()) }));

/**
 * `POST /v1/sql`: the statements' results (as the local executor returns them). On failure the error is thrown after
 * `onApplied` got the results of the statements that were applied before it (the local CLI reports those too).
 */
export async function runSqlRemotely(
  server: RemoteServer,
  sql: string,
  options: { readonly project?: string | undefined; readonly allowUnknownRegion?: boolean | undefined; readonly single?: boolean },
  onApplied: (results: StatementResult[]) => void,
): Promise<StatementResult[]> {
  const body = {
    sql,
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.allowUnknownRegion === true ? { allow_unknown_region: true } : {}),
    ...(options.single === true ? { single: true } : {}),
  };
  try {
    const answer = await server.call('POST', '/v1/sql', body);
    return readStatements(answer, server);
  } catch (error) {
    const remote = LakefnError.isInstance(error) ? error.data?.['remote_body'] : undefined;
    if (remote !== undefined) onApplied(readStatements(remote, server));
    throw error;
  }
}

function readStatements(answer: unknown, server: RemoteServer): StatementResult[] {
  const statements = typeof answer === 'object' && answer !== null ? (answer as { statements?: unknown }).statements : undefined;
  const parsed = statementResults.safeParse(statements ?? []);
  if (!parsed.success) throw new LakefnError('E_REMOTE_PROTOCOL', `${server.url.origin}/v1/sql answered without statement results; is --server a lakefn serve of this version?`);
  // the server's own executor built them: the shape checked above is the part the printers branch on
  return parsed.data as unknown as StatementResult[];
}
