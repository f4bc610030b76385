import { type ProviderName, providerDefinition } from '../registry/providers.ts';

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
  /** The columns of `demo_rows` it is called with (`name`, `a, b`). */
  readonly arguments: string;
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

/** Where the demo runs on one provider: the mock's region for it (where the built-ins live). */
export interface DemoTarget {
  readonly provider: ProviderName;
  readonly region: string;
}

/**
 * The mock functions are deliberately smaller than what the dispatcher would send at once (concurrency 3 against
 * the function's max_concurrency 16) and a little slow, so that throttling and the adaptive concurrency (AIMD)
 * show in the summary while 100,000 rows still finish in seconds.
 */
export const DEMO_FUNCTION_CONCURRENCY = 3;
export const DEMO_FUNCTION_LATENCY_MS = 10;
export const DEMO_FUNCTION_PROPERTIES = "'volatility'='immutable', 'max_batch_rows'='500', 'max_concurrency'='16'";

/** The two demo functions: upper over VARCHAR (NULLs included), and an exact BIGINT sum past 2^53. */
const DEMO_FUNCTIONS = [
  {
    cloudFunction: 'upper',
    signature: '(s VARCHAR) RETURNS VARCHAR',
    arguments: 'name',
    expected: (row: DemoRow) => (row.name === null ? null : row.name.toUpperCase()),
  },
  {
    cloudFunction: 'add',
    signature: '(a BIGINT, b BIGINT) RETURNS BIGINT',
    arguments: 'a, b',
    expected: (row: DemoRow) => (row.a === null || row.b === null ? null : row.a + row.b),
  },
] as const;

/**
 * One demo provider per target, in PROVIDERS order: two of every three run `upper`, the third `add`, so the one query
 * exercises both argument kinds. Names come from the definition (`demo_lambda`, `add_lambda` after the invoke API).
 */
export function demoProviders(targets: readonly DemoTarget[]): DemoProvider[] {
  return targets.map((target, index) => {
    const definition = providerDefinition(target.provider);
    const demoFunction = DEMO_FUNCTIONS[index % 3 === 2 ? 1 : 0];
    const suffix = definition.endpoints.apis.invoke;
    const sqlFunction = `${demoFunction.cloudFunction}_${suffix}`;
    return {
      provider: target.provider,
      label: definition.names.services.invoke,
      connection: `demo_${suffix}`,
      region: target.region,
      namespace: 'default',
      roleName: 'lakefn-demo',
      cloudFunction: demoFunction.cloudFunction,
      sqlFunction,
      signature: demoFunction.signature,
      call: `${sqlFunction}(${demoFunction.arguments})`,
      arguments: demoFunction.arguments,
      expected: demoFunction.expected,
    };
  });
}

/** A role in the customer account, in the provider's ARN syntax. */
export function demoRoleArn(provider: ProviderName, accountId: string, roleName: string): string {
  return providerDefinition(provider).catalog.roleArn.format({ accountId, roleName });
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
export function demoQuerySql(providers: readonly DemoProvider[]): string {
  const calls = providers.map((provider) => `${provider.call} AS ${provider.sqlFunction}`).join(',\n       ');
  return `SELECT id, name, a, b,\n       ${calls}\nFROM demo_rows\nORDER BY id`;
}
