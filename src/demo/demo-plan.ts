import type { ProviderName } from '../spec/provider-name.ts';

/** One provider of the demo: its connection, the cloud function in the mock, and the SQL function over it. */
export interface DemoProvider {
  readonly provider: ProviderName;
  readonly label: string;
  readonly connection: string;
  readonly region: string;
  readonly namespace: string;
  readonly roleName: string;
  /** The deployed function in the customer account (a mock built-in). */
  readonly cloudFunction: string;
  readonly sqlFunction: string;
  /** `(s VARCHAR) RETURNS VARCHAR` */
  readonly signature: string;
  /** The call in the demo query, over the columns of `demo_rows`. */
  readonly call: string;
  /** The demo row's expected result: the check behind `correct`. */
  expected(row: DemoRow): unknown;
}

/** A row of `demo_rows` as the query returns it. */
export interface DemoRow {
  readonly id: bigint;
  readonly name: string | null;
  readonly a: bigint | null;
  readonly b: bigint | null;
}

/**
 * The mock functions are deliberately smaller than what the dispatcher would send at once (concurrency 3 against
 * the function's max_concurrency 16) and a little slow, so that throttling and the adaptive concurrency (AIMD)
 * show in the summary while 100,000 rows still finish in seconds.
 */
export const DEMO_FUNCTION_CONCURRENCY = 3;
export const DEMO_FUNCTION_LATENCY_MS = 10;
export const DEMO_FUNCTION_PROPERTIES = "'volatility'='immutable', 'max_batch_rows'='500', 'max_concurrency'='16'";

export const DEMO_PROVIDERS: readonly DemoProvider[] = [
  {
    provider: 'aliyun',
    label: 'Alibaba Cloud FC 3.0',
    connection: 'demo_fc',
    region: 'cn-shanghai',
    namespace: 'default',
    roleName: 'lakefn-demo',
    cloudFunction: 'upper',
    sqlFunction: 'upper_fc',
    signature: '(s VARCHAR) RETURNS VARCHAR',
    call: 'upper_fc(name)',
    expected: (row) => (row.name === null ? null : row.name.toUpperCase()),
  },
  {
    provider: 'tencent',
    label: 'Tencent Cloud SCF',
    connection: 'demo_scf',
    region: 'ap-guangzhou',
    namespace: 'default',
    roleName: 'lakefn-demo',
    cloudFunction: 'upper',
    sqlFunction: 'upper_scf',
    signature: '(s VARCHAR) RETURNS VARCHAR',
    call: 'upper_scf(name)',
    expected: (row) => (row.name === null ? null : row.name.toUpperCase()),
  },
  {
    provider: 'aws',
    label: 'AWS Lambda',
    connection: 'demo_lambda',
    region: 'us-east-1',
    namespace: 'default',
    roleName: 'lakefn-demo',
    cloudFunction: 'add',
    sqlFunction: 'add_lambda',
    signature: '(a BIGINT, b BIGINT) RETURNS BIGINT',
    call: 'add_lambda(a, b)',
    expected: (row) => (row.a === null || row.b === null ? null : row.a + row.b),
  },
];

/** A role in the customer account, in the provider's ARN syntax. */
export function demoRoleArn(provider: ProviderName, accountId: string, roleName: string): string {
  switch (provider) {
    case 'aliyun':
      return `acs:ram::${accountId}:role/${roleName}`;
    case 'tencent':
      return `qcs::cam::uin/${accountId}:roleName/${roleName}`;
    case 'aws':
      return `arn:aws:iam::${accountId}:role/${roleName}`;
  }
}

/** The demo table: unique names (every 997th NULL); BIGINT pairs whose sums pass 2^53 (every 1009th b NULL). */
export function demoTableSql(rows: number): string {
  return `CREATE TABLE demo_rows AS
  SELECT i AS id,
         CASE WHEN i % 997 = 0 THEN NULL ELSE 'row-' || i END AS name,
         i AS a,
         CASE WHEN i % 1009 = 0 THEN NULL ELSE 2 * i + 9007199254700000 END AS b
  FROM range(${rows}) t(i)`;
}

/** The one query calling a function on each provider. */
export function demoQuerySql(): string {
  const calls = DEMO_PROVIDERS.map((provider) => `${provider.call} AS ${provider.sqlFunction}`).join(',\n       ');
  return `SELECT id, name, a, b,\n       ${calls}\nFROM demo_rows\nORDER BY id`;
}
