// What steers a call must be what the catalog validated (issue 10 §1, §3, §4): a tampered region never reaches the
// network, a function ARN must be in the connection's account and region, and a reply above the service's limit is
// dropped while it streams.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { endpointVariable } from '../../src/config/provider-environment.ts';
import { createCredentialBroker } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { InvokeTransport } from '../../src/provider-utils/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const MIB = 1024 * 1024;
const payload = new TextEncoder().encode(JSON.stringify({ lakefn: 1, batch_id: 'q:f:0', rows: [['a']] }));

function isCode(code: string, pattern?: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  };
}

function functionRecord(connection: ConnectionRecord, cloudFunction: string): FunctionRecord {
  return {
    id: `id-${cloudFunction}`,
    name: 'f',
    arguments: [{ name: 's', type: { kind: 'VARCHAR' } }],
    returnType: { kind: 'VARCHAR' },
    connectionName: connection.name,
    connectionId: connection.id,
    cloudFunction,
    qualifier: null,
    properties: DEFAULT_FUNCTION_PROPERTIES,
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

describe('connection data that could steer a call elsewhere', () => {
  let mock: MockCloudContext;

  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: a tampered region is E_STORE_TAMPERED and no request reaches any cloud API`, async () => {
      const fixture = mock.fixtures[provider];
      const connection: ConnectionRecord = { ...fixture.connection, name: `${provider}_tampered`, region: 'x@127.0.0.1:19443/' };
      const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
      const dispatcher = createDispatcher({
        resolveFunction: async () => ({ function: functionRecord(connection, 'upper'), connection }),
        adapterFor: (name) => mock.registry.adapterFor(name),
        credentialsFor: (record) => broker.credentialsFor(record),
      });
      const before = mock.cloud.calls().length;
      try {
        await assert.rejects(dispatcher.evaluate('f', [['a']]), isCode('E_STORE_TAMPERED', /REGION 'x@127\.0\.0\.1:19443\/'.*no request was sent/));
        // VALIDATE binds the same way before its first AssumeRole
        await assert.rejects(broker.credentialsFor(connection)(), isCode('E_STORE_TAMPERED'));
      } finally {
        await dispatcher.close();
        broker.close();
      }
      assert.equal(mock.cloud.calls().length, before, 'no request reached the mock');
    });
  }

  it('aws: a function ARN of another account or region is refused before anything is sent', async () => {
    const fixture = mock.fixtures.aws;
    const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
    const credentials = await broker.credentialsFor(fixture.connection)();
    const before = mock.cloud.calls().length;
    for (const arn of [`arn:aws:lambda:eu-west-1:${fixture.accountId}:function:upper`, 'arn:aws:lambda:us-east-1:999999999999:function:upper', `arn:aws-cn:lambda:us-east-1:${fixture.accountId}:function:upper`]) {
      await assert.rejects(fixture.adapter.doInvoke({ credentials, binding: fixture.binding, functionName: arn, payload, timeoutMs: 5000 }), isCode('E_INVALID_FUNCTION', /nothing was sent/), arn);
    }
    assert.equal(mock.cloud.calls().length, before);
    fixture.putFunction('upper', { builtin: 'upper' });
    const own = await fixture.adapter.doInvoke({ credentials, binding: fixture.binding, functionName: `arn:aws:lambda:${fixture.region}:${fixture.accountId}:function:upper`, payload, timeoutMs: 5000 });
    assert.deepEqual(JSON.parse(Buffer.from(own.payload).toString('utf8')), { results: ['A'] });
    broker.close();
  });
});

describe('replies above the service limit', () => {
  for (const transport of ['http', 'sdk'] as const satisfies readonly InvokeTransport[]) {
    describe(`over the ${transport} transport`, () => {
      let mock: MockCloudContext;
      before(async () => {
        mock = await startMockCloud({}, transport);
      });
      after(async () => {
        await stopMockCloud(mock);
      });

      for (const provider of PROVIDER_NAMES) {
        // just above the service's own reply limit: the mock answers in the service's shape, as the cloud does
        const replyBytes = providerDefinition(provider).limits.maxReplyBytes + 1024;
        it(`${provider}: a result just above the service's reply limit is the service's refusal, E_RESPONSE_TOO_LARGE`, async () => {
          const fixture = mock.fixtures[provider];
          fixture.putFunction('huge_reply', { handler: () => ({ results: ['x'.repeat(replyBytes)] }) });
          const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
          const credentials = await broker.credentialsFor(fixture.connection)();
          await assert.rejects(fixture.adapter.doInvoke({ credentials, binding: fixture.binding, functionName: 'huge_reply', payload, timeoutMs: 60_000 }), isCode('E_RESPONSE_TOO_LARGE', /lakefn splits the batch/));
          broker.close();
        });
      }

      for (const provider of PROVIDER_NAMES) {
        const definition = providerDefinition(provider);
        it(`${provider}: an answer declaring more than the ${definition.limits.maxReplyWireBytes} bytes lakefn reads is E_BAD_RESPONSE, unread`, async () => {
          // not a reply of the service (it never sends one above its limit): a proxy or a wrong endpoint. A GET is
          // FunctionGraph's project lookup before its first invocation: answered with the region's project.
          const region = definition.catalog.regions.example;
          const server = http.createServer((request, response) => {
            request.resume();
            if (request.method === 'GET') return void response.end(JSON.stringify({ projects: [{ id: '0123456789abcdef0123456789abcdef', name: region }] }));
            response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(definition.limits.maxReplyWireBytes + 1) });
            response.write('{');
          });
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
          const { port } = server.address() as AddressInfo;
          const url = `http://127.0.0.1:${port}`;
          const registry = createProviderRegistry({ environment: { [endpointVariable(provider, 'invoke')]: url, [endpointVariable(provider, 'sts')]: url }, invokeTransport: transport });
          try {
            const adapter = registry.adapterFor(provider);
            const partition = definition.broker.partitions?.list[0].id;
            const roleArn = definition.catalog.roleArn.format({ accountId: definition.broker.defaultAccountId, roleName: 'r', ...(partition === undefined ? {} : { partition }) });
            const binding = await adapter.bindConnection({ name: 'declared', region, roleArn, namespace: 'default' });
            const credentials = { accessKeyId: 'ASIADECLARED', secretAccessKey: 'declared-secret-0123456789', sessionToken: 'declared-token-0123456789', expiration: new Date(Date.now() + 3_600_000) };
            await assert.rejects(
              adapter.doInvoke({ credentials, binding, functionName: 'f', payload, timeoutMs: 60_000 }),
              isCode('E_BAD_RESPONSE', new RegExp(`the ${definition.limits.maxReplyWireBytes} bytes lakefn reads`)),
            );
          } finally {
            await registry.close();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
          }
        });
      }
    });
  }

  it('an endless chunked reply is cut off at the limit: the server sees the connection close', async () => {
    let written = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const chunk = Buffer.alloc(MIB, 0x61);
    const server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      const pump = (): void => {
        while (!response.destroyed && written < 512 * MIB) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      response.on('close', () => closed());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const registry = createProviderRegistry({ environment: { LAKEFN_AWS_LAMBDA_ENDPOINT: `http://127.0.0.1:${port}` } });
    try {
      const adapter = registry.adapterFor('aws');
      const binding = await adapter.bindConnection({ name: 'endless', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r', namespace: 'default' });
      const credentials = { accessKeyId: 'ASIAENDLESS', secretAccessKey: 'endless-secret-0123456789', sessionToken: 'endless-token-0123456789', expiration: new Date(Date.now() + 3_600_000) };
      await assert.rejects(adapter.doInvoke({ credentials, binding, functionName: 'f', payload, timeoutMs: 60_000 }), isCode('E_BAD_RESPONSE'));
      await connectionClosed;
      // what the server managed to write before lakefn hung up: the 7 MiB read plus socket buffers, far from 512 MiB
      assert.ok(written < 64 * MIB, `the server wrote ${written} bytes before the connection closed`);
    } finally {
      await registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
