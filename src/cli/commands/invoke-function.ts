import { Command, Option } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';
import { startProgressBar } from '../progress/progress-bar.ts';
import { ArgumentConverter, INPUT_FORMATS, type InputFormat, inputBytes, inputFormatOf, readCsvRows, readNdjsonRows, rowsFromJsonText } from './invoke-input.ts';
import { NdjsonResultWriter } from './invoke-output.ts';
import { limitHeapGrowthForStreaming } from './invoke-heap-growth.ts';
import { formatInvokeSummary, invokeSummaryJson, type InvokeSummary } from './invoke-stats.ts';
import { commandPrincipal, commandProject } from '../command-principal.ts';
import { parseNameArgument, type QualifiedNameArgument } from './sql-name-argument.ts';
import type { DispatchStats } from '../../dispatcher/dispatcher-types.ts';
import type { FunctionRecord } from '../../spec/function-record.ts';
import { addStats, describeRemotely, EMPTY_STATS, evaluateRemotely } from '../remote/remote-invoke.ts';
import { remoteServer, type RemoteServer } from '../remote/remote-server.ts';

interface InvokeOptions {
  readonly rows?: string;
  readonly input?: string;
  readonly format?: InputFormat;
  readonly header?: boolean;
  readonly output?: string;
  readonly queryId?: string;
  readonly user?: string;
}

/**
 * `lakefn invoke FUNCTION (--rows JSON | --input FILE) [--output FILE]`: runs an EXTERNAL FUNCTION over rows
 * through the dispatcher, streaming: input is read only as batches complete and results are written as
 * they arrive (NDJSON, one JSON value per row, in input order), so memory stays bounded for any input size.
 */
export function invokeCommand(context: CliContext): Command {
  const command = new Command('invoke')
    .description('run an external function over rows (NDJSON or CSV in, NDJSON out) with a progress bar and stats')
    .argument('<function>', 'function name ([project.][schema.]name)')
    .addOption(new Option('--rows <json>', 'the rows as a JSON array of argument arrays, e.g. \'[["a"],["b"]]\'').conflicts('input'))
    .option('--input <file>', "read rows from a file ('-' for standard input): NDJSON (one JSON array of arguments per line) or CSV (.csv)")
    .addOption(new Option('--format <format>', 'input format when the extension does not say').choices(INPUT_FORMATS).conflicts('rows'))
    .addOption(new Option('--header', 'CSV input: the first line is a header and is skipped').conflicts('rows'))
    .option('--output <file>', 'write results to this NDJSON file instead of stdout (written whole on success, never left half-written)')
    .option('--query-id <id>', 'query id used in batch ids (default: generated)')
    .option('--user <name>', 'user name sent to the function')
    .action(async (nameArgument: string, options: InvokeOptions, self: Command) => {
      await invokeFunction(context, self, parseNameArgument(nameArgument, 'function'), options);
    });
  return describeJsonOutput(command, 'the stats as one JSON document (on stdout when --output is a file, else on stderr)');
}

async function invokeFunction(context: CliContext, command: Command, name: QualifiedNameArgument, options: InvokeOptions): Promise<void> {
  const common = globalOptions(command);
  const project = name.project ?? commandProject(context, command);
  if ((options.rows === undefined) === (options.input === undefined)) {
    throw new LakefnError('E_USAGE', 'give the rows with exactly one of --rows \'<json array of argument arrays>\' or --input FILE');
  }
  const server = remoteServer(context, command);
  if (server !== undefined) return invokeOnServer(context, server, name.name, project, options, common.json === true);
  const principal = commandPrincipal(command);
  // loaded on use: the runtime pulls in the vendor SDKs, which `lakefn --help` and other commands need not pay for
  const { createRuntime } = await import('../../runtime/create-runtime.ts');
  const runtime = await createRuntime({ home: common.home, environment: context.environment, principal, project });
  const cancel = new AbortController();
  // SIGTERM too: the call stops, and closing the runtime below writes its audit summary before the process ends
  const onInterrupt = (): void => cancel.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const fn = await runtime.authorizer.describe(name.name);
    const rows = inputRows(context, fn, options);
    const writer = await NdjsonResultWriter.open(options.output, context.stdout, fn);
    const startedAt = performance.now();
    const stream = runtime.dispatcher.evaluateStream(fn.name, rows, {
      signal: cancel.signal,
      ...(options.queryId === undefined ? {} : { queryId: options.queryId }),
      ...(options.user === undefined ? {} : { user: options.user }),
    });
    const progress = startProgressBar({
      stream: context.stderr,
      label: fn.name,
      read: () => {
        const stats = stream.stats();
        return { rows: writer.rows, retries: stats.retries, throttles: stats.throttles, ...(Array.isArray(rows) ? { total: rows.length } : {}) };
      },
    });
    const summary = (): InvokeSummary => ({
      function: fn.name,
      rows: writer.rows,
      elapsedMs: performance.now() - startedAt,
      output: options.output ?? 'stdout',
      stats: stream.stats(),
    });
    try {
      for await (const batch of stream.batches()) await writer.writeBatch(batch);
      await writer.end();
    } catch (error) {
      progress.stop();
      // a failed run leaves no output file behind, and an existing one untouched
      await writer.discard();
      if (common.json !== true) context.stderr.write(formatInvokeSummary(summary()));
      throw error;
    }
    progress.stop();
    if (common.json === true) writeJson(options.output === undefined ? context.stderr : context.stdout, invokeSummaryJson(summary()));
    else context.stderr.write(formatInvokeSummary(summary()));
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
    await runtime.close();
  }
}

/** The rows of --rows or --input, converted to the function's argument types (streamed from a file). */
function inputRows(context: CliContext, fn: FunctionRecord, options: InvokeOptions): unknown[][] | AsyncGenerator<unknown[]> {
  const converter = new ArgumentConverter(fn);
  // a file may hold millions of rows: keep the heap close to the streaming window's live set
  if (options.input !== undefined) limitHeapGrowthForStreaming();
  const input = options.input;
  if (input === undefined) return rowsFromJsonText(options.rows ?? '', converter);
  return inputFormatOf(input, options.format) === 'csv'
    ? readCsvRows(inputBytes(input, context.stdin), converter, options.header === true)
    : readNdjsonRows(inputBytes(input, context.stdin), converter);
}

/** `lakefn invoke --server`: the same input, output and summary, the call made by the server as LAKEFN_TOKEN's principal. */
async function invokeOnServer(context: CliContext, server: RemoteServer, name: string, project: string | undefined, options: InvokeOptions, json: boolean): Promise<void> {
  const fn = await describeRemotely(server, name, project);
  const rows = inputRows(context, fn, options);
  const writer = await NdjsonResultWriter.open(options.output, context.stdout, fn);
  const startedAt = performance.now();
  let stats: DispatchStats | undefined;
  const progress = startProgressBar({
    stream: context.stderr,
    label: fn.name,
    read: () => ({ rows: writer.rows, retries: stats?.retries ?? 0, throttles: stats?.throttles ?? 0, ...(Array.isArray(rows) ? { total: rows.length } : {}) }),
  });
  const summary = (): InvokeSummary => ({ function: fn.name, rows: writer.rows, elapsedMs: performance.now() - startedAt, output: options.output ?? 'stdout', stats: stats ?? EMPTY_STATS });
  try {
    await evaluateRemotely(server, fn, rows, { project, queryId: options.queryId, user: options.user }, async (results, chunkStats) => {
      stats = addStats(stats, chunkStats);
      await writer.writeBatch(results);
    });
    await writer.end();
  } catch (error) {
    progress.stop();
    await writer.discard();
    if (!json) context.stderr.write(formatInvokeSummary(summary()));
    throw error;
  }
  progress.stop();
  if (json) writeJson(options.output === undefined ? context.stderr : context.stdout, invokeSummaryJson(summary()));
  else context.stderr.write(formatInvokeSummary(summary()));
}
