// Starts a throwaway PostgreSQL server for tests: initdb on a temp dir, pg_ctl start on a free loopback
// port, trust auth for user `lakefn`. Stopped and deleted on teardown, and on process exit or signal.
// When the server cannot start, tests FAIL; only LAKEFN_SKIP_POSTGRES=1 lets them skip.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://lakefn@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** Creates a fresh database and returns its URL (isolates tests sharing one server). */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Set (to any reason) when the Postgres tests should be skipped: only when LAKEFN_SKIP_POSTGRES=1. */
export function postgresSkipReason(): string | undefined {
  return process.env['LAKEFN_SKIP_POSTGRES'] === '1' ? 'LAKEFN_SKIP_POSTGRES=1' : undefined;
}

const running = new Set<{ readonly stopNow: () => void }>();
let exitHooksInstalled = false;

export async function startPostgresServer(): Promise<PostgresServer> {
  const binaries = findBinaries();
  const directory = mkdtempSync(join(tmpdir(), 'lakefn-pg-'));
  const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
  if (asUser !== undefined) {
    // initdb refuses to run as root: hand the directory to the postgres system user and run as it
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(directory, uid, gid);
  }
  const data = join(directory, 'data');
  const log = join(directory, 'server.log');
  const command = (binary: string, args: readonly string[]): [string, string[]] =>
    asUser === undefined ? [binary, [...args]] : ['runuser', ['-u', asUser, '--', binary, ...args]];
  const stopNow = (): void => {
    const [file, args] = command(binaries.pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(file, args, { cwd: directory, stdio: 'ignore' });
    rmSync(directory, { recursive: true, force: true });
  };
  const handle = { stopNow };
  running.add(handle);
  installExitHooks();
  try {
    const [initFile, initArgs] = command(binaries.initdb, ['-D', data, '-U', 'lakefn', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await run(initFile, initArgs, { cwd: directory });
    const port = await freePort();
    const serverOptions = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    const [startFile, startArgs] = command(binaries.pgCtl, ['-D', data, '-o', serverOptions, '-l', log, '-w', '-t', '60', 'start']);
    await run(startFile, startArgs, { cwd: directory });
    const url = `postgres://lakefn@127.0.0.1:${port}/postgres`;
    return {
      url,
      createDatabase: async (name: string) => {
        const client = new pg.Client(url);
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return `postgres://lakefn@127.0.0.1:${port}/${name}`;
      },
      stop: async () => {
        running.delete(handle);
        stopNow();
      },
    };
  } catch (error) {
    const serverLog = readLog(log);
    running.delete(handle);
    stopNow();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not start a throwaway PostgreSQL server (${binaries.initdb}): ${reason}${serverLog}\n` +
        'Install the PostgreSQL server binaries (Debian: apt-get install postgresql) or set LAKEFN_SKIP_POSTGRES=1 to skip these tests.',
      { cause: error },
    );
  }
}

function findBinaries(): { readonly initdb: string; readonly pgCtl: string } {
  const directories = (process.env['PATH'] ?? '').split(delimiter).filter((entry) => entry !== '');
  let versioned: string[] = [];
  try {
    versioned = readdirSync('/usr/lib/postgresql')
      .filter((entry) => /^\d+$/.test(entry))
      .sort((left, right) => Number(right) - Number(left))
      .map((version) => `/usr/lib/postgresql/${version}/bin`);
  } catch {
    // no Debian-style install
  }
  for (const directory of [...directories, ...versioned]) {
    const initdb = join(directory, 'initdb');
    const pgCtl = join(directory, 'pg_ctl');
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { initdb, pgCtl };
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; ' +
      'install them (Debian: apt-get install postgresql) or set LAKEFN_SKIP_POSTGRES=1 to skip the PostgreSQL tests',
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readLog(path: string): string {
  try {
    return `\nserver log:\n${readFileSync(path, 'utf8').slice(-2000)}`;
  } catch {
    return '';
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const stopAll = (): void => {
    for (const handle of running) handle.stopNow();
    running.clear();
  };
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal);
    });
  }
}
