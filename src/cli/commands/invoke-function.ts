import type { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import type { CliContext } from '../cli-context.ts';
import { commonOptions, ensureGlobalOptions } from '../create-services.ts';
import { writeJson } from '../output/write-json.ts';
import { startProgressBar } from '../progress/progress-bar.ts';
import { ArgumentConverter, inputFormatOf, readCsvRows, readNdjsonRows, rowsFromJsonText } from './invoke-input.ts';
import { NdjsonResultWriter } from './invoke-output.ts';
import { limitHeapGrowthForStreaming } from './invoke-heap-growth.ts';
import { formatInvokeSummary, invokeSummaryJson, type InvokeSummary } from './invoke-stats.ts';
import { parseNameArgument } from './sql-name-argument.ts';

interface InvokeOptions {
  readonly rows?: string;
  readonly input?: string;
  readonly format?: string;
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
export function register(program: Command, context: CliContext): void {
  ensureGlobalOptions(program);
  program
    .command('invoke')
    .description('run an external function over rows (NDJSON or CSV in, NDJSON out) with a progress bar and stats')
    .argument('<function>', 'function name ([schema.]name)')
    .option('--rows <json>', 'the rows as a JSON array of argument arrays, e.g. \'[["a"],["b"]]\'')
    .option('--input <file>', 'read rows from a file: NDJSON (one JSON array of arguments per line) or CSV (.csv)')
    .option('--format <format>', 'input format when the extension does not say: ndjson | csv')
    .option('--header', 'CSV input: the first line is a header and is skipped')
    .option('--output <file>', 'write results to this NDJSON file instead of stdout')
    .option('--query-id <id>', 'query id used in batch ids (default: generated)')
    .option('--user <name>', 'user name sent to the function')
    .option('--json', 'machine output: the stats as one JSON document (on stdout when --output is a file, else on stderr)')
    .configureHelp({ showGlobalOptions: true })
    .action(async (nameArgument: string, options: InvokeOptions, command: Command) => {
      await invokeFunction(context, command, parseNameArgument(nameArgument, 'function'), options);
    });
}

async function invokeFunction(context: CliContext, command: Command, name: string, options: InvokeOptions): Promise<void> {
  const common = commonOptions(command);
  if ((options.rows === undefined) === (options.input === undefined)) {
    throw new LakefnError('E_USAGE', 'give the rows with exactly one of --rows \'<json array of argument arrays>\' or --input FILE');
  }
  // loaded on use: the runtime pulls in three vendor SDKs, which `lakefn --help` and other commands need not pay for
  const { createRuntime, resolveCatalogFunction } = await import('../../runtime/create-runtime.ts');
  const runtime = await createRuntime({ home: common.home, environment: context.environment });
  const cancel = new AbortController();
  const onInterrupt = (): void => cancel.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const fn = (await resolveCatalogFunction(runtime.store, name)).function;
    const converter = new ArgumentConverter(fn);
    // a file may hold millions of rows: keep the heap close to the streaming window's live set
    if (options.input !== undefined) limitHeapGrowthForStreaming();
    const rows =
      options.rows !== undefined
        ? rowsFromJsonText(options.rows, converter)
        : inputFormatOf(options.input!, options.format) === 'csv'
          ? readCsvRows(options.input!, converter, options.header === true)
          : readNdjsonRows(options.input!, converter);
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
      await writer.end().catch(() => undefined);
      if (common.json !== true) context.stderr.write(formatInvokeSummary(summary()));
      throw error;
    }
    progress.stop();
    if (common.json === true) writeJson(options.output === undefined ? context.stderr : context.stdout, invokeSummaryJson(summary()));
    else context.stderr.write(formatInvokeSummary(summary()));
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await runtime.close();
  }
}
