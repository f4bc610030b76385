import { startMockCloud, stopMockCloud } from './test/helpers/with-mock-cloud.ts';
import { createCredentialBroker } from './src/credentials/index.ts';
const ctx = await startMockCloud();
try {
  const broker = createCredentialBroker({ adapterFor: ctx.registry.adapterFor, environment: ctx.environment });
  for (const p of ['aws', 'aliyun', 'tencent'] as const) {
    const f = ctx.fixtures[p];
    f.putFunction('upper', { builtin: 'upper' });
    try {
      const creds = await broker.credentialsFor(f.connection)();
      console.log(p, 'creds', creds.accessKeyId, creds.expiration);
      const r = await f.adapter.doInvoke({ credentials: creds, region: f.region, accountId: f.accountId, namespace: f.namespace, functionName: 'upper', payload: Buffer.from(JSON.stringify({ lakefn: 1, rows: [['a'], ['b']] })), timeoutMs: 2000, logTail: true });
      console.log(p, Buffer.from(r.payload).toString(), r.requestId, r.durationMs, JSON.stringify(r.logTail));
    } catch (e) { console.log(p, 'ERR', e); }
  }
} finally { await stopMockCloud(ctx); }
