import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MockState } from '../mock-state.ts';
import type { CallLogEntry } from '../mock-types.ts';
import type { HandlerResult, MockReply, MockRequest } from './mock-request.ts';
import { ADMIN_PREFIX, routeApi } from './mock-router.ts';

/** Bodies above this are refused by closing the connection (FC's 32 MB limit plus room for the too-large test). */
const MAX_BODY_BYTES = 40 * 1024 * 1024;
/** Longer than any SDK's idle timeout, so that the server never closes a socket a client is about to reuse. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export type AdminHandler = (method: string, path: string, query: string, body: Buffer) => Promise<MockReply>;

/** The one HTTP server on 127.0.0.1 serving every cloud's APIs and the admin API. */
export class MockServer {
  readonly #server: Server;
  #admin: AdminHandler = async () => ({ status: 503, headers: {}, body: '' });

  private constructor(server: Server) {
    this.#server = server;
  }

  static async listen(port: number, state: MockState, log: boolean): Promise<MockServer> {
    const server = createServer({ keepAlive: true, noDelay: true });
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    const mockServer = new MockServer(server);
    const admin: AdminHandler = (...args) => mockServer.#admin(...args);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void serve(request, response, state, admin, log);
    });
    // a client that vanishes mid-request must not crash the mock
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return mockServer;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Installs the admin API (it needs the MockCloud, which needs the port first). */
  setAdminHandler(admin: AdminHandler): void {
    this.#admin = admin;
  }

  /** Stops listening and destroys every connection, hung ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

async function serve(request: IncomingMessage, response: ServerResponse, state: MockState, admin: AdminHandler, log: boolean): Promise<void> {
  const startedAt = performance.now();
  const receivedAt = state.clock.now();
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const body = await readBody(request);
  if (body === undefined) return;
  try {
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      send(response, await admin(request.method ?? 'GET', path.slice(ADMIN_PREFIX.length) || '/', query, body), receivedAt);
      return;
    }
    const handler = routeApi(request.method ?? 'GET', path, request.headers, state.providers);
    if (handler === undefined) {
      const message = `the lakefn mock serves no API at ${request.method ?? ''} ${path.slice(0, 200)} (see mocks/README.md)`;
      send(response, { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) }, receivedAt);
      return;
    }
    const mockRequest: MockRequest = { method: request.method ?? 'POST', path, query, headers: request.headers, body, receivedAt, whenClosed: closeWatcher(request.socket) };
    const result = await handler(mockRequest, state);
    let status = 0;
    if (result.reply === 'reset') request.socket.destroy();
    else if (result.reply !== 'hang') {
      send(response, result.reply, receivedAt);
      status = result.reply.status;
    }
    const entry = logEntry(result, status, performance.now() - startedAt, receivedAt);
    state.callLog.record(entry);
    if (log) process.stderr.write(`[lakefn mock] ${entry.provider} ${entry.api ?? '?'} ${entry.function ?? entry.roleArn ?? ''} -> ${status} ${entry.errorCode ?? ''} ${entry.latencyMs.toFixed(1)} ms\n`);
  } catch (error) {
    // a bug in the mock (or a throwing admin call) must answer, not hang the client
    const message = error instanceof Error ? error.message : String(error);
    if (log) process.stderr.write(`[lakefn mock] internal error: ${message}\n`);
    if (!response.headersSent) send(response, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `lakefn mock internal error: ${message}` }) }, receivedAt);
  }
}

/** A lazy "connection closed" promise: only hung calls ever ask for it. */
function closeWatcher(socket: Socket): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () =>
    (closed ??= new Promise((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    }));
}

function logEntry(result: HandlerResult, status: number, latencyMs: number, time: number): CallLogEntry {
  const fields = result.log;
  return {
    provider: fields.provider,
    api: fields.api,
    function: fields.function,
    roleArn: fields.roleArn,
    accountId: fields.accountId,
    region: fields.region,
    requestId: fields.requestId,
    batchId: fields.batchId,
    rows: fields.rows,
    status,
    errorCode: fields.errorCode,
    fault: fields.fault,
    latencyMs,
    accessKeyId: fields.accessKeyId,
    time,
  };
}

let cachedDate = { second: Number.NaN, text: '' };

/** The HTTP date of a mock-clock time, formatted once per second. */
function httpDate(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedDate.second) cachedDate = { second, text: new Date(now).toUTCString() };
  return cachedDate.text;
}

/**
 * Writes a reply; `Date` comes from the mock clock, as SDKs use it to correct their clock skew. An explicit
 * Content-Length keeps Node from chunking the body (one write instead of five buffers per answer).
 */
function send(response: ServerResponse, reply: MockReply, now: number): void {
  if (response.destroyed) return;
  response.setHeader('date', httpDate(now));
  if (reply.status !== 204) response.setHeader('content-length', typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length);
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}

/** The whole body (chunked or not), or undefined when it was too large or the client went away. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.socket.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    request.on('error', () => resolve(undefined));
    request.on('aborted', () => resolve(undefined));
  });
}
