// The bench's direct invocations (each MockProvider's `bench`): requests signed by the vendor SDK's own signer are
// accepted by the mock's signature verification and their replies are read back, on every provider. The ceiling and
// the undici experiment of `npm run bench` send exactly these.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'undici';
import { createCredentialBroker } from '../../src/credentials/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

describe('bench support: vendor-signed invocations the mock accepts', () => {
  let mock: MockCloudContext;
  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: a presigned invoke runs the function; a tampered one is refused`, async () => {
      const fixture = mock.fixtures[provider];
      fixture.putFunction('bench_upper', { builtin: 'upper' });
      const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
      const origin = fixture.binding.endpoints.invoke;
      const pool = new Pool(origin.origin);
      try {
        const credentials = await broker.credentialsFor(fixture.connection)();
        const { bench } = mock.cloud.provider(provider);
        const target = { provider, credentials, region: fixture.region, namespace: fixture.namespace, accountId: fixture.accountId, functionName: 'bench_upper', host: origin.host };
        const payload = new TextEncoder().encode(JSON.stringify({ lakefn: 1, batch_id: 'bench:f:0', rows: [['a'], ['b']] }));
        const request = await bench.presignInvoke(target, payload);
        const answer = await pool.request({ method: 'POST', path: request.path, headers: request.headers, body: request.body });
        const body = Buffer.from(await answer.body.arrayBuffer());
        const reply = bench.readReply(answer.statusCode, answer.headers, body);
        assert.ok(reply.ok, `${provider}: ${JSON.stringify(reply)} ${body.toString('utf8').slice(0, 300)}`);
        assert.deepEqual(JSON.parse(Buffer.from(reply.payload).toString('utf8')), { results: ['A', 'B'] });
        assert.equal(bench.replyFailed(answer.statusCode, answer.headers, body), false);

        // the signature covers the body: another body (one more space, still the same JSON) under the same headers is refused
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
        const tampered = await pool.request({ method: 'POST', path: request.path, headers, body: Buffer.concat([request.body, Buffer.from(' ')]) });
        const tamperedBody = Buffer.from(await tampered.body.arrayBuffer());
        assert.equal(bench.readReply(tampered.statusCode, tampered.headers, tamperedBody).ok, false, `${provider}: a tampered body was accepted`);
      } finally {
        broker.close();
        await pool.close();
      }
    });
  }
});
