// lakefn serve at its edges: what a reply may show, clients that hang up, and the limits on slow or many clients.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import { fakeUdfHook, functionRecord } from '../udf/fake-udf-hook.ts';

const VARCHAR = { kind: 'VARCHAR' } as const;
const LAKEFN_HOME = '/srv/lakefn-home-for-test';

const functions = [
  functionRecord('store_fn', [VARCHAR], VARCHAR),
  functionRecord('fs_fn', [VARCHAR], VARCHAR),
  functionRecord('credentials_fn', [VARCHAR], VARCHAR),
  functionRecord('home_fn', [VARCHAR], VARCHAR),
  functionRecord('slow_fn', [VARCHAR], VARCHAR),
];

function createHook(delayMs = 1) {
  return fakeUdfHook(
    functions,
    {
      store_fn: () => {
        throw new LakefnError('E_STORE', `cannot read the catalog ${join(tmpdir(), 'lakefn-x', 'lakefn.db')}: SQLITE_CORRUPT`);
      },
      fs_fn: () => readFileSync(join(homedir(), 'no-such-dir', 'credentials')),
      credentials_fn: () => {
        throw new LakefnError('E_NO_BROKER_CREDENTIALS', `no broker keys: none in the environment, none in ${join(homedir(), '.aws', 'credentials')}`);
      },
      home_fn: () => {
        throw new LakefnError('E_CONNECTION_NOT_USABLE', `connection c is not usable: its key file ${LAKEFN_HOME}/keys/c.key is missing (see ${LAKEFN_HOME}.old, kept)`);
      },
      slow_fn: ([value]) => value,
    },
    delayMs,
  );
}

/** Every route but /healthz is authenticated: these tests present LAKEFN_SERVE_TOKEN (the bootstrap super administrator). */
const TOKEN = 'Kp2x9Qv7Lm4Zr8Tw1Ny6Hb3Jd5Fs0Gc';
const AUTH = { authorization: `Bearer ${TOKEN}` } as const;

async function post(server: ServeServer, path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...AUTH } });
  return { status: response.status, text: await response.text() };
}

/** A raw TCP client: what it received and whether the server closed the connection. */
function rawClient(server: ServeServer): Promise<{ readonly socket: Socket; readonly received: () => string; readonly closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

async function metricsOf(server: ServeServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`, { headers: AUTH })).text();
}

/** The metrics once the one evaluate request has been counted, whatever its status. */
async function metricsAfterEvaluate(server: ServeServer): Promise<string> {
  for (;;) {
    const metrics = await metricsOf(server);
    if (/lakefn_http_requests_total\{route="evaluate",status="\d+"\} 1/.test(metrics)) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('lakefn serve: replies never show local paths', () => {
  const log: string[] = [];
  let server: ServeServer;
  before(async () => {
    server = await startServeServer({ token: TOKEN, hook: createHook(), log: (line) => log.push(line), localPaths: [LAKEFN_HOME] });
  });
  after(async () => {
    await server.close();
  });

  it("lakefn's own failure (500) shows its code and an incident id; the message with the path goes to the log", async () => {
    for (const [name, code] of [
      ['store_fn', 'E_STORE'],
      ['fs_fn', 'E_INTERNAL'],
    ] as const) {
      const response = await post(server, `/v1/functions/${name}/evaluate`, { rows: [['a']] });
      assert.equal(response.status, 500);
      const { error } = JSON.parse(response.text) as { error: { code: string; message: string } };
      assert.equal(error.code, code);
      const incident = /^lakefn serve failed on its side; its log has the details under incident ([0-9a-f-]{36})$/.exec(error.message)?.[1];
      assert.ok(incident !== undefined, error.message);
      assert.ok(!response.text.includes(tmpdir()) && !response.text.includes(homedir()), response.text);
      const logged = log.find((line) => line.includes(incident));
      assert.ok(logged !== undefined, 'the incident is in the log');
      assert.match(logged, new RegExp(`^lakefn serve: incident ${incident}: ${code}: .*(lakefn\\.db|credentials)`));
    }
  });

  it('other errors keep their message, with every local directory replaced', async () => {
    const credentials = await post(server, '/v1/functions/credentials_fn/evaluate', { rows: [['a']] });
    assert.ok(!credentials.text.includes(homedir()), credentials.text);
    assert.match((JSON.parse(credentials.text) as { error: { message: string } }).error.message, /none in <local path>\/\.aws\/credentials$/);
    const home = await post(server, '/compat/bigquery/home_fn', { calls: [['a']] });
    assert.equal(home.status, 422);
    const { errorMessage } = JSON.parse(home.text) as { errorMessage: string };
    assert.equal(errorMessage, 'E_CONNECTION_NOT_USABLE: connection c is not usable: its key file <local path>/keys/c.key is missing (see /srv/lakefn-home-for-test.old, kept)');
  });
});

describe('lakefn serve: a client that hangs up', () => {
  it('before its body is complete: E_CANCELLED, counted as 499, no 500 and no log line', async () => {
    const log: string[] = [];
    const hook = createHook();
    const server = await startServeServer({ token: TOKEN, hook, log: (line) => log.push(line) });
    try {
      const client = await rawClient(server);
      client.socket.write(`POST /v1/functions/slow_fn/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"rows": [["`);
      // once the server is reading the body, the client leaves
      while (server.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      client.socket.destroy();
      const metrics = await metricsAfterEvaluate(server);
      assert.match(metrics, /lakefn_http_requests_total\{route="evaluate",status="499"\} 1/);
      assert.doesNotMatch(metrics, /status="500"/);
      assert.deepEqual(log, []);
      assert.equal(hook.calls.length, 0, 'nothing was evaluated');
    } finally {
      await server.close();
    }
  });
});

describe('lakefn serve: limits on slow and many clients', () => {
  const slowClients = [
    ['its headers', 'POST /v1/functions/slow_fn/evaluate HTTP/1.1\r\nHost: x\r\n'],
    ['its body', `POST /v1/functions/slow_fn/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100\r\n\r\n{"rows"`],
  ] as const;
  for (const [part, sent] of slowClients) {
    it(`a client that does not finish ${part} in time gets 408 and is disconnected`, async () => {
      const server = await startServeServer({ token: TOKEN, hook: createHook(), limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
      try {
        const client = await rawClient(server);
        client.socket.write(sent);
        await client.closed;
        assert.match(client.received(), /^HTTP\/1\.1 408 /);
      } finally {
        await server.close();
      }
    });
  }

  it('a connection beyond the cap is closed at once; those within it are served', async () => {
    const server = await startServeServer({ token: TOKEN, hook: createHook(), limits: { maxConnections: 2 } });
    const health = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    try {
      const first = await rawClient(server);
      const second = await rawClient(server);
      // each answered once, so the server holds both connections before the third arrives
      for (const client of [first, second]) {
        client.socket.write(health);
        while (!client.received().includes('{"status":"ok"}')) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const third = await rawClient(server);
      third.socket.write(health);
      await third.closed;
      assert.equal(third.received(), '');
      first.socket.write(health);
      while ((first.received().match(/\{"status":"ok"\}/g) ?? []).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      first.socket.destroy();
      second.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('refuses a headers timeout longer than the request timeout', async () => {
    await assert.rejects(startServeServer({ token: TOKEN, hook: createHook(), limits: { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 } }), {
      code: 'E_USAGE',
      message: 'the headers timeout (5000 ms) must not exceed the request timeout (1000 ms)',
    });
  });
});
