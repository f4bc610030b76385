// Issue 5: exact values round-trip in every wire format through every provider. The codec is unit-tested in
// memory (test/codec/); here the same values go dispatcher → codec → real vendor SDK → provider adapter → mock
// cloud → an echoing function → back, so any lossy step on the way (SDK parsing, adapter decoding, SCF's
// string-wrapped reply) shows up as a wrong value.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCredentialBroker, type CredentialBroker } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, WIRE_FORMATS, type FunctionRecord, type WireFormat } from '../../src/spec/function-record.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { formatSqlType, type SqlType } from '../../src/spec/sql-type.ts';
import type { FunctionHandler } from '../../mocks/mock-types.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const BIGINT: SqlType = { kind: 'BIGINT' };
const VARCHAR: SqlType = { kind: 'VARCHAR' };
const decimal = (precision: number, scale: number): SqlType => ({ kind: 'DECIMAL', precision, scale });
const NESTED: SqlType = {
  kind: 'ARRAY',
  element: {
    kind: 'MAP',
    key: VARCHAR,
    value: { kind: 'STRUCT', fields: [{ name: 'a', type: BIGINT }, { name: 'b', type: { kind: 'ARRAY', element: decimal(10, 2) } }] },
  },
};

/** [value given to the dispatcher, value expected back in the codec's normalised JS form (SqlType docs)]. */
type Case = readonly [input: unknown, expected: unknown];
const same = (...values: unknown[]): Case[] => values.map((value) => [value, value] as const);

const BIGINT_MAX = 2n ** 63n - 1n;
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, index) => index);

const TYPE_CASES: readonly { readonly label: string; readonly type: SqlType; readonly cases: readonly Case[] }[] = [
  {
    label: 'bigint',
    type: BIGINT,
    cases: [...same(BIGINT_MAX, -BIGINT_MAX, -(2n ** 63n), 0n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, null), [42, 42n], ['-9223372036854775807', -BIGINT_MAX]],
  },
  {
    label: 'decimal',
    type: decimal(38, 10),
    cases: [
      ...same('9999999999999999999999999999.9999999999', '-9999999999999999999999999999.9999999999', '-0.0000000001', '0.0000000001', null),
      ['1.5', '1.5000000000'],
      ['-0', '0.0000000000'],
      [12n, '12.0000000000'],
    ],
  },
  { label: 'date', type: { kind: 'DATE' }, cases: same('0001-01-01', '9999-12-31', '2024-02-29', null) },
  {
    label: 'timestamp',
    type: { kind: 'TIMESTAMP' },
    cases: [
      ...same('2024-02-29T15:59:59.123456Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', null),
      ['2024-02-29T23:59:59.123456+08:00', '2024-02-29T15:59:59.123456Z'],
      ['2024-03-01 00:30:00.5-01:00', '2024-03-01T01:30:00.5Z'],
      ['2024-01-01T00:00:00.120000000-0530', '2024-01-01T05:30:00.120000Z'],
      [new Date(Date.UTC(2020, 0, 1, 12, 0, 0, 7)), '2020-01-01T12:00:00.007Z'],
    ],
  },
  {
    label: 'binary',
    type: { kind: 'BINARY' },
    cases: same(new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80]), new Uint8Array(), ALL_BYTES, null),
  },
  {
    label: 'varchar',
    type: VARCHAR,
    // a lone UTF-16 surrogate is not text: refused as a VARCHAR result (test/codec/wire-codec-malformed-replies.test.ts)
    cases: same('', 'héllo ✓ 😀', 'quote " backslash \\ nul \u0000 line\u2028sep', '9223372036854775807', null),
  },
  {
    label: 'nested',
    type: NESTED,
    cases: [
      [
        [
          new Map<string, unknown>([
            ['k', { a: BIGINT_MAX, b: ['12345678.90', '-0.01', null, '0'] }],
            ['', null],
            ['ü "\u0000', { a: null, b: null }],
            ['__proto__', { a: -BIGINT_MAX, b: [] }],
          ]),
          null,
          new Map(),
        ],
        [
          new Map<string, unknown>([
            ['k', { a: BIGINT_MAX, b: ['12345678.90', '-0.01', null, '0.00'] }],
            ['', null],
            ['ü "\u0000', { a: null, b: null }],
            ['__proto__', { a: -BIGINT_MAX, b: [] }],
          ]),
          null,
          new Map(),
        ],
      ],
      // a missing STRUCT field is NULL
      [[new Map([['x', { b: ['1.5'] }]])], [new Map([['x', { a: null, b: ['1.50'] }]])]],
      ...same([], null),
    ],
  },
];

/** Echoes the first argument of every row in the format's reply shape (SPEC §6); the values are not touched. */
const ECHO_HANDLERS: Readonly<Record<WireFormat, FunctionHandler>> = {
  lakefn: (payload) => ({ results: (payload as { rows: unknown[][] }).rows.map((row) => row[0]) }),
  snowflake: (payload) => ({ data: (payload as { data: unknown[][] }).data.map((row) => [row[0], row[1]]) }),
  bigquery: (payload) => ({ replies: (payload as { calls: unknown[][] }).calls.map((row) => row[0]) }),
  redshift: (payload) => {
    const rows = (payload as { arguments: unknown[][] }).arguments;
    return { success: true, num_records: rows.length, results: rows.map((row) => row[0]) };
  },
};

function functionRecord(name: string, cloudFunction: string, connection: ConnectionRecord, type: SqlType, format: WireFormat): FunctionRecord {
  return {
    id: `id-${name}`,
    name,
    arguments: [{ name: 'value', type }],
    returnType: type,
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, format },
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

describe('exact values round-trip in every wire format through every provider (mock cloud, real SDKs)', () => {
  let mock: MockCloudContext;
  /** The raw request body of the last call of each cloud function, for wire-level checks. */
  const lastPayloads = new Map<string, string>();

  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  for (const provider of PROVIDER_NAMES) {
    describe(provider, () => {
      let broker: CredentialBroker;
      let dispatcher: Dispatcher;
      const records = new Map<string, FunctionRecord>();
      const echoName = (format: WireFormat): string => `echo-${format}`;

      before(() => {
        const fixture = mock.fixtures[provider];
        for (const format of WIRE_FORMATS) {
          const echo = ECHO_HANDLERS[format];
          fixture.putFunction(echoName(format), {
            handler: (payload, context) => {
              // behind an API Gateway proxy event (Snowflake's format on Lambda by default) the request is in `body`,
              // a JSON string, and the reply goes back as {statusCode, body}, as a Lambda written for it does
              const body = (payload as { body?: unknown }).body;
              if (typeof body === 'string') {
                lastPayloads.set(`${provider}/${context.functionName}`, body);
                return { statusCode: 200, body: JSON.stringify(echo(JSON.parse(body), context)) };
              }
              lastPayloads.set(`${provider}/${context.functionName}`, Buffer.from(context.rawPayload).toString('utf8'));
              return echo(payload, context);
            },
          });
          for (const { label, type } of TYPE_CASES) {
            const name = `${format}_${label}`;
            records.set(name, functionRecord(name, echoName(format), fixture.connection, type, format));
          }
        }
        broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
        dispatcher = createDispatcher({
          resolveFunction: async (name) => {
            const record = records.get(name);
            assert.ok(record !== undefined, `test function ${name} is registered`);
            return { function: record, connection: fixture.connection };
          },
          adapterFor: (name) => mock.registry.adapterFor(name),
          credentialsFor: (connection) => broker.credentialsFor(connection),
        });
      });
      after(async () => {
        await dispatcher.close();
        broker.close();
      });

      for (const format of WIRE_FORMATS) {
        for (const { label, type, cases } of TYPE_CASES) {
          test(`${format} × ${formatSqlType(type)}`, async () => {
            const results = await dispatcher.evaluate(`${format}_${label}`, cases.map(([input]) => [input]), { queryId: `${provider}-${format}-${label}` });
            assert.deepStrictEqual(results, cases.map(([, expected]) => expected));
          });
        }

        test(`${format}: BIGINT beyond ±(2^53−1) travels as a JSON string, within it as a number`, async () => {
          await dispatcher.evaluate(`${format}_bigint`, [[BIGINT_MAX], [-BIGINT_MAX], [2n ** 53n + 1n], [42n]]);
          const sent = lastPayloads.get(`${provider}/${echoName(format)}`) ?? '';
          for (const text of ['"9223372036854775807"', '"-9223372036854775807"', '"9007199254740993"']) assert.ok(sent.includes(text), `${text} in ${sent}`);
          assert.match(sent, /[[,]42\]/, 'a safe integer is a JSON number');
        });
      }
    });
  }
});
