// Throughput of the mock cloud: `node --import tsx bench/mock-throughput.ts [--seconds N] [--concurrency N]`.
// Starts `lakefn mock --json` in a child process, registers a role trusting the broker, assumes it once with the
// real AWS STS SDK, then drives Lambda Invoke of the built-in `echo` with a raw undici Pool. Every request carries a
// genuine SigV4 signature (computed once here by the AWS SDK's signer, through the AWS mock's bench support: the body
// and the date are the same for the whole run, well inside the 15-minute skew window) and the mock verifies every one
// of them — there is no unsigned path in the mock.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Pool } from 'undici';
import { benchSupport } from './support/presigned-invoke.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '32' } } });
// one signature serves the whole run, so the run must stay inside SigV4's 15-minute window
const seconds = Math.min(600, Number(values.seconds));
const concurrency = Number(values.concurrency);
const EXTERNAL_ID = 'lakefn-bench-external-id';

interface MockInfo {
  readonly env: Record<string, string>;
  readonly customer_accounts: Record<string, string>;
  readonly admin_url: string;
}

const LAKEFN = fileURLToPath(new URL('../bin/lakefn.js', import.meta.url));
const child = spawn(process.execPath, [LAKEFN, 'mock', '--json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`lakefn mock exited (code ${code}) before printing its JSON line`)));
  });
  const info = JSON.parse(firstLine) as MockInfo;
  const endpoint = info.env['LAKEFN_AWS_LAMBDA_ENDPOINT'] ?? '';
  const customer = info.customer_accounts['aws'] ?? '';
  const roleArn = `arn:aws:iam::${customer}:role/lakefn-bench`;
  const trustPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${info.env['LAKEFN_AWS_ACCOUNT_ID'] ?? ''}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
  };
  const put = await fetch(`${info.admin_url}/roles`, { method: 'PUT', body: JSON.stringify({ provider: 'aws', role_arn: roleArn, trust_policy: trustPolicy }) });
  if (!put.ok) throw new Error(`PUT /roles: ${put.status} ${await put.text()}`);

  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: info.env['LAKEFN_AWS_STS_ENDPOINT'] ?? '',
    credentials: { accessKeyId: info.env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: info.env['AWS_SECRET_ACCESS_KEY'] ?? '' },
    maxAttempts: 1,
  });
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lakefn-bench', ExternalId: EXTERNAL_ID, DurationSeconds: 3600 }));
  sts.destroy();
  const credentials = assumed.Credentials;
  if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined || credentials.SessionToken === undefined) throw new Error('AssumeRole returned no credentials');

  const payload = new TextEncoder().encode(JSON.stringify({ lakefn: 1, batch_id: 'bench:echo:1', rows: [['x']] }));
  const { path, headers, body } = await benchSupport('aws').presignInvoke(
    {
      provider: 'aws',
      credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration ?? new Date() },
      region: 'us-east-1',
      namespace: 'default',
      accountId: customer,
      functionName: 'echo',
      host: new URL(endpoint).host,
    },
    payload,
  );

  const pool = new Pool(endpoint, { connections: concurrency, pipelining: 1 });
  const invoke = async (): Promise<void> => {
    const response = await pool.request({ method: 'POST', path, headers, body });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  };
  const run = async (durationMs: number): Promise<number> => {
    let count = 0;
    const deadline = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await invoke();
          count += 1;
        }
      }),
    );
    return count;
  };
  await run(1000); // warm-up: JIT, sockets, the function's warm instances
  const serverCpuBefore = processCpu(child.pid);
  const clientCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const count = await run(seconds * 1000);
  const elapsed = (performance.now() - startedAt) / 1000;
  const serverCpuAfter = processCpu(child.pid);
  const serverUser = (serverCpuAfter?.user ?? Number.NaN) - (serverCpuBefore?.user ?? Number.NaN);
  const serverSystem = (serverCpuAfter?.system ?? Number.NaN) - (serverCpuBefore?.system ?? Number.NaN);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  await pool.close();
  console.log(
    JSON.stringify({
      benchmark: 'mock-throughput',
      api: 'lambda:Invoke',
      signed: true,
      concurrency,
      seconds: Number(elapsed.toFixed(2)),
      invocations: count,
      invocations_per_second: Math.round(count / elapsed),
      // CPU per invocation tells the mock's cost apart from contention with the client on the same cores
      mock_cpu_us_per_invocation: Number.isNaN(serverUser) ? null : Math.round(((serverUser + serverSystem) * 1000) / count),
      mock_system_cpu_share: Number.isNaN(serverUser) ? null : Number((serverSystem / (serverUser + serverSystem)).toFixed(2)),
      client_cpu_us_per_invocation: Math.round((clientCpu.user + clientCpu.system) / count),
    }),
  );
} finally {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}

/** User and system CPU of a process in milliseconds, from /proc (Linux only; undefined elsewhere). */
function processCpu(pid: number | undefined): { user: number; system: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 }; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}
