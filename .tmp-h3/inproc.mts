import { createServer } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { MockCloud } from '/work/main/mocks/mock-cloud.ts';
const mode = process.argv[2];
let url: string; let headers: Record<string,string> = {}; let stop: () => Promise<void>;
const body = JSON.stringify({ lakefn: 1, batch_id: 'bench:echo:1', rows: [['x']] });
const path = '/2015-03-31/functions/echo/invocations';
if (mode === 'trivial') {
  const s = createServer({ keepAlive: true }, (req, res) => { const c: Buffer[] = []; req.on('data', (d) => c.push(d)); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'x'.repeat(36), 'x-amz-executed-version': '$LATEST' }); res.end('{"results":["x"]}'); }); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(s.address() as any).port}`; stop = async () => { s.closeAllConnections(); s.close(); };
  headers = { 'content-type': 'application/json', 'x-amz-content-sha256': 'a'.repeat(64), 'x-amz-date': '20261125T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20261125/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=' + 'b'.repeat(64) };
} else {
  const cloud = await MockCloud.start();
  const acct = cloud.customerAccounts.aws;
  cloud.putFunction({ provider: 'aws', accountId: acct.accountId, region: 'us-east-1', name: 'echo', builtin: 'echo' });
  url = cloud.endpoints.aws.lambda; stop = () => cloud.stop();
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const signed: Record<string,string> = { 'content-type': 'application/json', host: new URL(url).host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const names = Object.keys(signed).sort();
  const canonical = `POST\n${path}\n\n${names.map((n) => `${n}:${signed[n]}\n`).join('')}\n${names.join(';')}\n${payloadHash}`;
  const scope = `${date}/us-east-1/lambda/aws4_request`;
  const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const h = (k: any, d: string) => createHmac('sha256', k).update(d).digest();
  const sig = h(h(h(h(h(`AWS4${acct.secretAccessKey}`, date), 'us-east-1'), 'lambda'), 'aws4_request'), sts).toString('hex');
  const { host: _h, ...rest } = signed;
  headers = { ...rest, authorization: `AWS4-HMAC-SHA256 Credential=${acct.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${sig}` };
}
const pool = new Pool(url, { connections: 32 });
async function run(ms: number) { let n = 0; const end = performance.now() + ms; await Promise.all(Array.from({ length: 32 }, async () => { while (performance.now() < end) { const r = await pool.request({ method: 'POST', path, headers, body }); await r.body.text(); if (r.statusCode !== 200) throw new Error(String(r.statusCode)); n++; } })); return n; }
await run(1000);
const c = process.cpuUsage(); const n = await run(4000); const cc = process.cpuUsage(c);
console.log(mode, 'total cpu us/req', ((cc.user + cc.system) / n).toFixed(1), 'n', n);
await pool.close(); await stop();
