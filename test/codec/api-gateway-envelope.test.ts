// Issue 13 §5: envelope = 'api_gateway' sends the API Gateway proxy event (the wire body as a string, Snowflake's
// sf-external-function-* headers) and opens {statusCode, body}; a non-2xx statusCode is that status. The sizes the
// batcher plans with include the escaping, and every other codec encodes exactly as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveFunctionEnvelope } from '../../src/codec/api-gateway-envelope.ts';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { PROVIDERS } from '../../src/registry/providers.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import { CONTEXT, FORMATS, makeFunction, T } from './codec-test-helpers.ts';

const encoder = new TextEncoder();
const answer = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

function lakefnError(code: string, check: (error: LakefnError) => void = () => undefined): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

describe('api_gateway envelope', () => {
  const fn = makeFunction('snowflake', [T.VARCHAR, T.INT], T.VARCHAR, {}, 'sentiment');
  const codec = createWireCodec(fn, { envelope: 'api_gateway' });
  const rows = [['say "hi" \\ there', 1], [null, 2]];

  it('sends the proxy event: the snowflake body as a string, the sf-external-function-* headers, POST /', () => {
    const event = JSON.parse(Buffer.from(codec.encodeBatch(rows, CONTEXT)).toString()) as Record<string, unknown>;
    assert.equal(event['httpMethod'], 'POST');
    assert.equal(event['isBase64Encoded'], false);
    assert.equal(typeof event['body'], 'string');
    assert.deepEqual(JSON.parse(event['body'] as string), { data: [[0, 'say "hi" \\ there', 1], [1, null, 2]] });
    const headers = event['headers'] as Record<string, string>;
    assert.deepEqual(
      { ...headers },
      {
        'content-type': 'application/json',
        'sf-external-function-format': 'json',
        'sf-external-function-format-version': '1.0',
        'sf-external-function-name': 'SENTIMENT',
        'sf-external-function-name-base64': Buffer.from('SENTIMENT').toString('base64'),
        'sf-external-function-signature': '(X0 VARCHAR, X1 INT)',
        'sf-external-function-signature-base64': Buffer.from('(X0 VARCHAR, X1 INT)').toString('base64'),
        'sf-external-function-return-type': 'VARCHAR',
        'sf-external-function-return-type-base64': Buffer.from('VARCHAR').toString('base64'),
        'sf-external-function-current-query-id': 'q-17',
        'sf-external-function-query-batch-id': 'q-17:upper:3',
        'sf-context-current-user': 'alice',
      },
    );
    assert.deepEqual((event['multiValueHeaders'] as Record<string, string[]>)['sf-external-function-format'], ['json']);
  });

  it('plans with exact sizes: the escaping of quotes and backslashes is counted', () => {
    for (const format of FORMATS) {
      const enveloped = createWireCodec(makeFunction(format, [T.VARCHAR, T.INT], T.VARCHAR), { envelope: 'api_gateway' });
      const plain = createWireCodec(makeFunction(format, [T.VARCHAR, T.INT], T.VARCHAR));
      const bytes = enveloped.encodeBatch(rows, CONTEXT).byteLength;
      const planned = enveloped.envelopeSize(CONTEXT) + rows.reduce((total, row) => total + enveloped.encodedRowSize(row), 0);
      // the same slack as without the envelope (the comma before the first row, digits sized for the largest batch)
      const plainSlack = plain.envelopeSize(CONTEXT) + rows.reduce((total, row) => total + plain.encodedRowSize(row), 0) - plain.encodeBatch(rows, CONTEXT).byteLength;
      assert.equal(planned - bytes, plainSlack, format);
      // the fast path gives the same bytes
      const encoded = rows.map((row) => enveloped.encodeRow(row));
      assert.deepEqual(enveloped.encodeBatchFromEncodedRows(encoded, CONTEXT), enveloped.encodeBatch(rows, CONTEXT));
    }
  });

  it('opens {statusCode: 200, body}: a JSON string body, base64 too; the wire reply then decodes as usual', () => {
    const body = JSON.stringify({ data: [[1, 'B'], [0, 'A']] });
    const opened = codec.unwrapReply?.(answer({ statusCode: 200, body }));
    assert.ok(opened !== undefined);
    assert.deepEqual(codec.decodeReply(opened, 2).results, ['A', 'B']);
    const base64 = codec.unwrapReply?.(answer({ statusCode: 200, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }));
    assert.deepEqual(codec.decodeReply(base64 ?? new Uint8Array(), 2).results, ['A', 'B']);
    assert.deepEqual(codec.decodeReply(codec.unwrapReply?.(answer({ statusCode: '201', body })) ?? new Uint8Array(), 2).results, ['A', 'B']);
  });

  it('a non-2xx statusCode is that status: 429 throttled, 5xx retryable, 4xx the function error with its body', () => {
    assert.throws(() => codec.unwrapReply?.(answer({ statusCode: 429, body: 'slow down' })), lakefnError('E_THROTTLED', (error) => assert.equal(error.retryable, true)));
    assert.throws(
      () => codec.unwrapReply?.(answer({ statusCode: 503, body: 'warming up' })),
      lakefnError('E_REMOTE_FUNCTION_ERROR', (error) => {
        assert.equal(error.retryable, true);
        assert.deepEqual(error.data, { statusCode: 503, body: 'warming up' });
      }),
    );
    assert.throws(
      () => codec.unwrapReply?.(answer({ statusCode: 400, body: '{"data": oops' })),
      lakefnError('E_REMOTE_FUNCTION_ERROR', (error) => {
        assert.equal(error.retryable, false);
        assert.match(error.message, /statusCode 400.*\{"data": oops/);
      }),
    );
  });

  it('an answer that is not {statusCode, body} is E_BAD_RESPONSE (API Gateway would answer 502)', () => {
    for (const bad of [answer({ data: [] }), answer([1]), answer({ statusCode: 200, body: { data: [] } }), answer({ statusCode: 99, body: '' }), encoder.encode('not json')]) {
      assert.throws(() => codec.unwrapReply?.(bad), lakefnError('E_BAD_RESPONSE', (error) => assert.match(error.message, /Malformed Lambda proxy response/)));
    }
  });

  it("without an envelope nothing changes: no unwrapReply, the same bytes as before", () => {
    for (const format of FORMATS) {
      const none = createWireCodec(makeFunction(format, [T.VARCHAR, T.INT], T.VARCHAR), { envelope: 'none' });
      const plain = createWireCodec(makeFunction(format, [T.VARCHAR, T.INT], T.VARCHAR));
      assert.equal(none.unwrapReply, undefined);
      assert.deepEqual(none.encodeBatch(rows, CONTEXT), plain.encodeBatch(rows, CONTEXT));
    }
  });

  it('the default is the provider definition\'s (snowflake behind API Gateway on Lambda), the property wins', () => {
    const definitions: readonly ProviderDefinition[] = PROVIDERS;
    const byId = (id: string): ProviderDefinition => definitions.find((definition) => definition.id === id)!;
    const snowflake = makeFunction('snowflake', [T.VARCHAR], T.VARCHAR).properties;
    assert.equal(resolveFunctionEnvelope(snowflake, byId('aws')), 'api_gateway');
    assert.equal(resolveFunctionEnvelope(snowflake, byId('aliyun')), 'none');
    assert.equal(resolveFunctionEnvelope(snowflake, byId('tencent')), 'none');
    assert.equal(resolveFunctionEnvelope({ ...snowflake, envelope: 'none' }, byId('aws')), 'none');
    assert.equal(resolveFunctionEnvelope({ ...snowflake, format: 'lakefn' }, byId('aws')), 'none');
    assert.equal(resolveFunctionEnvelope({ ...snowflake, format: 'redshift', envelope: 'api_gateway' }, byId('tencent')), 'api_gateway');
  });
});
