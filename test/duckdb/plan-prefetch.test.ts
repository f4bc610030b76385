import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseLosslessJson, stringifyLosslessJson } from '../../src/duckdb/lossless-json.ts';
import { planPrefetch, type PrefetchFunction } from '../../src/duckdb/plan-prefetch.ts';

const FUNCTIONS = new Map<string, PrefetchFunction>([
  ['f', { name: 'f', immutable: true, argumentCount: 1 }],
  ['g', { name: 'g', immutable: true, argumentCount: 1 }],
  ['v', { name: 'v', immutable: false, argumentCount: 1 }],
]);

describe('planPrefetch over DuckDB parse trees', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const plan = async (sql: string) => {
    const serialized = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    return planPrefetch(parseLosslessJson(String(serialized.getRows()[0]?.[0])), FUNCTIONS);
  };
  const argumentsSql = async (statement: string) => String((await connection.runAndReadAll('SELECT json_deserialize_sql($1::JSON)', [statement])).getRows()[0]?.[0]);

  it('prefetches an immutable call in the select list, keeping FROM and WHERE (numbers exact)', async () => {
    const sites = await plan('SELECT id, f(name) AS u FROM people WHERE id > 9007199254740993 ORDER BY id');
    assert.equal(sites.length, 1);
    assert.equal(sites[0]?.functionName, 'f');
    const sql = await argumentsSql(sites[0]?.argumentsStatement ?? '');
    assert.equal(sql, 'SELECT "name" AS __lakefn_arg_0 FROM people WHERE (id > 9007199254740993)');
  });

  it('deduplicates identical call sites and looks inside plain expressions', async () => {
    assert.equal((await plan('SELECT f(x), f(x) AS again, length(f(x)) FROM t')).length, 1);
    assert.equal((await plan('SELECT f(x), f(y) FROM t')).length, 2);
  });

  it('takes the inner call of nested external calls only', async () => {
    const sites = await plan('SELECT f(g(x)) FROM t');
    assert.deepEqual(sites.map((site) => site.functionName), ['g']);
  });

  it('skips what would call the function on rows the query does not (or cannot be reproduced)', async () => {
    for (const sql of [
      'SELECT f(x) FROM t LIMIT 5',
      'SELECT CASE WHEN y THEN f(x) END FROM t',
      'SELECT coalesce(y, f(x)) FROM t',
      "SELECT f(x) FROM t WHERE g(y) = 'A'",
      'SELECT f(x) FROM (SELECT g(y) AS x FROM t)',
      'SELECT f(x) FROM t UNION ALL SELECT f(y) FROM u',
      'SELECT v(x) FROM t',
      'SELECT y AND f(x) = 1 FROM t',
      'SELECT f(x) FROM t USING SAMPLE 10%',
      'CREATE TABLE z AS SELECT f(x) FROM t',
    ]) {
      assert.deepEqual(await plan(sql), [], sql);
    }
  });

  it('round-trips DuckDB JSON losslessly', () => {
    const text = '{"a":[1,-2.50,18446744073709551615,1e400],"b":{"c":null,"d":"x\\"y\\u00e9"},"e":true}';
    assert.equal(stringifyLosslessJson(parseLosslessJson(text)), text.replace('\\u00e9', 'é'));
    assert.throws(() => parseLosslessJson('{"a":1'), SyntaxError);
  });
});
