// A governed catalog for tests: statements run as the local super administrator or, with `as(user)`, as a catalog user
// (`--as`), and calls are decided by the runtime's CallAuthorizer without sending anything (it only reads the store).
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { AuditWriter } from '../../src/governance/audit-writer.ts';
import { actingAs, localPrincipal, type AuthenticatedPrincipal } from '../../src/governance/authenticated-principal.ts';
import { CallAuthorizer } from '../../src/governance/call-authorizer.ts';
import type { StatementResult } from '../../src/sql/execute-result.ts';
import type { ExecutionServices } from '../../src/sql/execute-services.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { AuditRecord } from '../../src/store/audit-log.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import type { CatalogFixture, StoreDescriptor } from '../store/store-descriptors.ts';

export const AWS = "TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'";

export const LOCAL = localPrincipal('tester', 'local');

export interface Governed {
  readonly store: CatalogStore;
  /** Runs statements as the local super administrator (or `principal`); `project` is the current project. */
  sql(text: string, principal?: AuthenticatedPrincipal, project?: string): Promise<StatementResult[]>;
  /** The principal `--as user` gives. */
  as(user: string): AuthenticatedPrincipal;
  /** Rejects with `code`, the message matching `pattern`; returns the error. */
  rejects(text: string, principal: AuthenticatedPrincipal | undefined, code: string, pattern: RegExp, project?: string): Promise<LakefnError>;
  /** Decides a call of `name` as `principal` (the dispatcher's resolveFunction, nothing sent). */
  call(name: string, principal: AuthenticatedPrincipal, project?: string): Promise<void>;
  /** Every audit record, in order. */
  audit(): Promise<AuditRecord[]>;
  /** The rows of a SHOW. */
  rows(text: string, principal?: AuthenticatedPrincipal, project?: string): Promise<readonly (readonly unknown[])[]>;
  close(): Promise<void>;
}

export function governed(store: CatalogStore): Governed {
  const services: ExecutionServices = {
    store,
    environment: { LAKEFN_AWS_ACCOUNT_ID: '210987654321' },
    validateConnection: async () => ({ status: 'VERIFIED', detail: null }),
  };
  const writer = new AuditWriter(store, { log: () => undefined });
  const authorizer = new CallAuthorizer({ store, audit: writer, principal: LOCAL });
  const sql = (text: string, principal: AuthenticatedPrincipal = LOCAL, project?: string): Promise<StatementResult[]> =>
    executeStatements(text, { ...services, principal, ...(project === undefined ? {} : { project }) });
  return {
    store,
    sql,
    as: (user) => actingAs(LOCAL, user),
    async rejects(text, principal, code, pattern, project) {
      let caught: unknown;
      await sql(text, principal, project).catch((error: unknown) => {
        caught = error;
      });
      assert.ok(LakefnError.isInstance(caught), `${text}: expected ${code}, got ${String(caught)}`);
      assert.equal(caught.code, code, caught.message);
      assert.match(caught.message, pattern);
      return caught;
    },
    async call(name, principal, project) {
      const resolved = await authorizer.resolve(name, { principal, ...(project === undefined ? {} : { project }) });
      resolved.guard?.end({ queryId: 'test', startedAt: 0, endedAt: 0, stats: ZERO_STATS, latencyHistogram: [], requestIds: [], failure: undefined });
      await writer.flush();
    },
    async audit() {
      await writer.flush();
      return store.read((session) => session.audit.list({}, 0, 1_000_000));
    },
    async rows(text, principal, project) {
      const [result] = await sql(text, principal, project);
      assert.equal(result?.kind, 'table');
      return result.rows;
    },
    close: () => writer.close(),
  };
}

const ZERO_STATS = {
  rows: 0, batches: 0, bytesOut: 0, bytesIn: 0, attempts: 0, retries: 0, retriesByCause: {}, throttles: 0, rowErrors: 0,
  nullSkipped: 0, dedupSaved: 0, failedBatches: 0, currentConcurrency: 0, latencyMs: { p50: 0, p95: 0, p99: 0 },
};

/** Asserts `work` rejects with `code` and a message matching `pattern`. */
export async function rejectsWith(work: Promise<unknown>, code: string, pattern: RegExp): Promise<LakefnError> {
  let caught: unknown;
  await work.catch((error: unknown) => {
    caught = error;
  });
  assert.ok(LakefnError.isInstance(caught), `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, pattern);
  return caught;
}

/** The catalog a test of a governance suite runs on: a fresh store of one kind, opened and governed. */
export interface CatalogPerTest {
  readonly fixture: CatalogFixture;
  readonly store: CatalogStore;
  readonly g: Governed;
}

/**
 * Registers a suite's hooks: the descriptor's server for the suite, and for every test a fresh catalog (`seed` runs on
 * the empty fixture before it is opened, e.g. to load a catalog written by an older version), handed to `use` before
 * the test (and before the suite's own beforeEach hooks, registered after this call) and closed after it.
 */
export function catalogPerTest(descriptor: StoreDescriptor, use: (catalog: CatalogPerTest) => void, seed?: (fixture: CatalogFixture) => Promise<void>): void {
  let current: CatalogPerTest | undefined;
  before(() => descriptor.start());
  after(() => descriptor.stop());
  beforeEach(async () => {
    const fixture = await descriptor.fixture();
    await seed?.(fixture);
    const store = await fixture.open();
    current = { fixture, store, g: governed(store) };
    use(current);
  });
  afterEach(async () => {
    if (current === undefined) return;
    const { fixture, store, g } = current;
    current = undefined;
    await g.close();
    await store.close();
    await fixture.cleanup();
  });
}
