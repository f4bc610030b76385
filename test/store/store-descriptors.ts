// The two catalog backends as interchangeable test descriptors: each can open a store on a fresh,
// empty catalog, dump every table (to prove a failed operation changed nothing) and tamper with a row
// behind lakefn's back.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { generateExternalId } from '../../src/catalog/external-id.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { postgresSkipReason, startPostgresServer, type PostgresServer } from '../helpers/postgres-server.ts';

const TABLES = [
  'lakefn_migrations', 'lakefn_catalog_state', 'lakefn_connections', 'lakefn_functions', 'lakefn_principals', 'lakefn_projects', 'lakefn_role_grants',
  'lakefn_grants', 'lakefn_audit', 'lakefn_api_tokens', 'lakefn_oidc_subjects', 'lakefn_policies', 'lakefn_policy_attachments', 'lakefn_boundaries', 'lakefn_project_settings',
  'lakefn_packages', 'lakefn_package_objects', 'lakefn_package_allowed', 'lakefn_package_installs', 'lakefn_package_grants', 'lakefn_function_labels',
] as const;

/** One empty catalog: its LAKEFN_HOME, optional LAKEFN_STORE URL, and back-door access for assertions. */
export interface CatalogFixture {
  readonly home: string;
  readonly storeUrl: string | undefined;
  /** Environment for child processes: LAKEFN_HOME (+ LAKEFN_STORE). */
  readonly environment: Record<string, string>;
  open(): Promise<CatalogStore>;
  /**
   * Every row of every catalog table, in a stable order (null for a table the schema does not have yet). With
   * `{ audit: false }`: without the audit log (its table and the chain's ends in the state row), which records even
   * the statements that failed.
   */
  dump(options?: DumpOptions): Promise<string>;
  /** Runs raw SQL against the catalog (`?` placeholders), bypassing lakefn. */
  execute(sql: string, parameters?: readonly (string | number | null)[]): Promise<void>;
  /** Runs a script of several statements (no parameters), bypassing lakefn. */
  executeScript(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface DumpOptions {
  /** @default true */
  readonly audit?: boolean;
}

/** A dump without the audit log: its table left out, the chain's ends (and the version's neighbours) kept. */
function withoutAudit(tables: readonly (readonly Record<string, unknown>[] | null)[], options: DumpOptions | undefined): string {
  if (options?.audit !== false) return JSON.stringify(tables);
  return JSON.stringify(
    tables.map((rows, index) => {
      if (TABLES[index] === 'lakefn_audit') return null;
      if (TABLES[index] !== 'lakefn_catalog_state' || rows === null) return rows;
      return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !column.startsWith('audit_'))));
    }),
  );
}

export interface StoreDescriptor {
  readonly name: 'sqlite' | 'postgres';
  readonly skip: string | undefined;
  /** Called once per suite (starts the PostgreSQL server). */
  start(): Promise<void>;
  fixture(): Promise<CatalogFixture>;
  stop(): Promise<void>;
}

export function sqliteDescriptor(): StoreDescriptor {
  return {
    name: 'sqlite',
    skip: undefined,
    start: async () => undefined,
    stop: async () => undefined,
    fixture: async () => {
      const home = mkdtempSync(join(tmpdir(), 'lakefn-store-'));
      const path = join(home, 'lakefn.db');
      const withDatabase = <T>(work: (database: Database.Database) => T): T => {
        const database = new Database(path);
        try {
          return work(database);
        } finally {
          database.close();
        }
      };
      return {
        home,
        storeUrl: undefined,
        environment: { LAKEFN_HOME: home },
        open: () => openCatalogStore({ home, environment: {} }),
        dump: async (options) =>
          withDatabase((database) => {
            const exists = (table: string): boolean => database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
            return withoutAudit(TABLES.map((table) => (exists(table) ? (database.prepare(`SELECT * FROM ${table} ORDER BY 1`).all() as Record<string, unknown>[]) : null)), options);
          }),
        execute: async (sql, parameters = []) => {
          withDatabase((database) => database.prepare(sql).run(...parameters));
        },
        executeScript: async (sql) => {
          withDatabase((database) => database.exec(sql));
        },
        cleanup: async () => rmSync(home, { recursive: true, force: true }),
      };
    },
  };
}

export function postgresDescriptor(): StoreDescriptor {
  let server: PostgresServer | undefined;
  return {
    name: 'postgres',
    skip: postgresSkipReason(),
    start: async () => {
      server = await startPostgresServer();
    },
    stop: async () => {
      await server?.stop();
    },
    fixture: async () => {
      if (server === undefined) throw new Error('PostgreSQL server not started');
      const storeUrl = await server.createDatabase(`catalog_${randomUUID().replaceAll('-', '')}`);
      const home = mkdtempSync(join(tmpdir(), 'lakefn-store-'));
      const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
        const client = new pg.Client(storeUrl);
        await client.connect();
        try {
          return await work(client);
        } finally {
          await client.end();
        }
      };
      return {
        home,
        storeUrl,
        environment: { LAKEFN_HOME: home, LAKEFN_STORE: storeUrl },
        open: () => openCatalogStore({ home, storeUrl, environment: {} }),
        dump: (options) =>
          withClient(async (client) => {
            const tables: (Record<string, unknown>[] | null)[] = [];
            for (const table of TABLES) {
              const exists = (await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [table])).rows[0]?.found !== null;
              tables.push(exists ? (await client.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY 1`)).rows : null);
            }
            return withoutAudit(tables, options);
          }),
        execute: (sql, parameters = []) =>
          withClient(async (client) => {
            let index = 0;
            await client.query(sql.replace(/\?/g, () => `$${++index}`), [...parameters]);
          }),
        executeScript: (sql) =>
          withClient(async (client) => {
            await client.query(sql);
          }),
        cleanup: async () => rmSync(home, { recursive: true, force: true }),
      };
    },
  };
}

export function storeDescriptors(): StoreDescriptor[] {
  return [sqliteDescriptor(), postgresDescriptor()];
}

/** SHA-256 of a file (SQLite byte-for-byte checks). */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A well-formed connection record (the store does not validate fields; the executor does). */
export function sampleConnection(name: string, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name,
    provider: 'aws',
    region: 'us-east-1',
    roleArn: 'arn:aws:iam::123456789012:role/lakefn-udf',
    namespace: 'default',
    codeBucket: 'lakefn-code',
    externalId: generateExternalId(),
    comment: null,
    status: 'PENDING',
    statusDetail: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** A well-formed function bound to `connection` (its id and name). */
export function sampleFunction(name: string, connection: Pick<ConnectionRecord, 'id' | 'name'>, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    id: randomUUID(),
    name,
    arguments: [
      { name: 'x', type: { kind: 'DECIMAL', precision: 38, scale: 10 } },
      { name: 'tags', type: { kind: 'MAP', key: { kind: 'VARCHAR' }, value: { kind: 'ARRAY', element: { kind: 'BIGINT' } } } },
    ],
    returnType: { kind: 'STRUCT', fields: [{ name: 'ok', type: { kind: 'BOOLEAN' } }] },
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction: name.replace(/^.*\./, ''),
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, maxBatchRows: 100 },
    comment: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
