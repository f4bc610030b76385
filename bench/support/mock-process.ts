import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ProviderName } from '../../src/spec/provider-name.ts';

/** What `lakefn mock --json` prints as its first stdout line. */
export interface MockInfo {
  readonly env: Readonly<Record<string, string>>;
  readonly customerAccounts: Readonly<Record<ProviderName, string>>;
  readonly adminUrl: string;
}

/** A function of the mock's admin API (`PUT /_mock/functions`, builtins only). */
export interface MockFunctionSpec {
  readonly provider: ProviderName;
  readonly name: string;
  readonly builtin: string;
  readonly region: string;
  readonly namespace?: string;
  readonly concurrency?: number;
  readonly latencyMs?: number;
}

export interface MockFunctionCounters {
  readonly calls: number;
  readonly rows: number;
  readonly max_in_flight: number;
  readonly throttled: number;
  readonly faults: number;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * The mock cloud in its own process (`lakefn mock --json`), so that the client measured here does not share its
 * event loop with the server. Driven through the admin API over loopback.
 */
export class MockProcess {
  readonly info: MockInfo;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, info: MockInfo, exited: Promise<void>) {
    this.#child = child;
    this.info = info;
    this.#exited = exited;
  }

  /** `nodeArguments` go before the script (e.g. `--cpu-prof` to profile the mock). */
  static async start(nodeArguments: readonly string[] = []): Promise<MockProcess> {
    const child = spawn(process.execPath, [...nodeArguments, fileURLToPath(new URL('../../bin/lakefn.js', import.meta.url)), 'mock', '--json'], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 8192) stderr += text;
    });
    const firstLine = new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => resolve(line));
      void exited.then(() => reject(new Error(`lakefn mock exited before printing its address (exit code ${String(child.exitCode)}): ${stderr.trim()}`)));
      setTimeout(() => reject(new Error(`lakefn mock printed nothing within ${STARTUP_TIMEOUT_MS} ms: ${stderr.trim()}`)), STARTUP_TIMEOUT_MS).unref();
    });
    try {
      const parsed = JSON.parse(await firstLine) as { env: Record<string, string>; customer_accounts: Record<ProviderName, string>; admin_url: string };
      child.stdout.resume();
      return new MockProcess(child, { env: parsed.env, customerAccounts: parsed.customer_accounts, adminUrl: parsed.admin_url }, exited);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  putRole(provider: ProviderName, roleArn: string, trustPolicy: object): Promise<void> {
    return this.#admin('PUT', '/roles', { provider, role_arn: roleArn, trust_policy: trustPolicy });
  }

  putFunction(spec: MockFunctionSpec): Promise<void> {
    return this.#admin('PUT', '/functions', {
      provider: spec.provider,
      account_id: this.info.customerAccounts[spec.provider],
      region: spec.region,
      name: spec.name,
      builtin: spec.builtin,
      ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
      ...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
      ...(spec.latencyMs === undefined ? {} : { latency_ms: spec.latencyMs }),
    });
  }

  /** Injects `fault` with `probability` on every call of the function (seeded: the same draws on every run). */
  putFaults(provider: ProviderName, functionName: string, plan: readonly { fault: string; probability: number; seed: number }[]): Promise<void> {
    return this.#admin('PUT', '/faults', { provider, function: functionName, plan });
  }

  async counters(): Promise<Record<string, MockFunctionCounters>> {
    const response = await fetch(`${this.info.adminUrl}/counters`);
    if (!response.ok) throw new Error(`mock admin GET /counters answered ${response.status}`);
    return ((await response.json()) as { functions: Record<string, MockFunctionCounters> }).functions;
  }

  /** Counters of one function (keyed `provider/account/region/name`, Tencent with the namespace before the name). */
  async functionCounters(provider: ProviderName, region: string, name: string): Promise<MockFunctionCounters | undefined> {
    const account = this.info.customerAccounts[provider];
    const all = await this.counters();
    return all[`${provider}/${account}/${region}/${name}`] ?? all[`${provider}/${account}/${region}/default/${name}`];
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  async #admin(method: string, path: string, body: object): Promise<void> {
    const response = await fetch(`${this.info.adminUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`mock admin ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
}
