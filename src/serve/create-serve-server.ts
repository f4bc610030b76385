import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describeError, LakefnError, toLakefnError } from '../errors/index.ts';
import { onBehalfOf, type AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import { auditRecordJson } from '../governance/audit-record-json.ts';
import { normalizeInstant } from '../sql/governance-parser.ts';
import type { StatementResult } from '../sql/execute-result.ts';
import { lexIdentifier } from '../sql/lex-identifier.ts';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../store/audit-log.ts';
import type { UdfHook } from '../udf/udf-hook.ts';
import { statementResultJson } from '../cli/output/render-statement-result.ts';
import type { AdminApi } from './admin-api.ts';
import { resolveServeToken } from './bearer-auth.ts';
import { COMPAT_PROTOCOLS, isCompatFormat, type CompatProtocol } from './compat-protocols.ts';
import { httpError, retryAfterSeconds, statusForError, statusForStatementError } from './http-status.ts';
import { readRequestBody } from './read-request-body.ts';
import { CatalogAuthenticator, type RequestAuthenticator } from './request-authenticator.ts';
import { optionalString, parseRequestJson, requireObject, RowCodec } from './row-codec.ts';
import { SERVE_LIMIT_DEFAULTS, type ServeLimits } from './serve-limits.ts';
import { ServeMetrics } from './serve-metrics.ts';

export interface ServeServerOptions {
  readonly hook: UdfHook;
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Largest accepted request body; larger ones get 413. @default 16_777_216 */
  readonly maxBodyBytes?: number;
  /**
   * Who sent each request (every route but /healthz): per-user API tokens, OIDC ID tokens, LAKEFN_SERVE_TOKEN. Without
   * one, only `token` authenticates (its holder is the bootstrap super administrator); with neither, every request but
   * /healthz is refused with 401.
   */
  readonly authenticator?: RequestAuthenticator;
  /** LAKEFN_SERVE_TOKEN, when no `authenticator` is given. */
  readonly token?: string | undefined;
  /** `POST /v1/sql` and the audit routes; absent: those routes answer 404. */
  readonly admin?: AdminApi;
  /** How long `close()` waits for in-flight requests before cutting connections. @default 30_000 */
  readonly drainTimeoutMs?: number;
  /** Where unexpected (internal) errors are reported. @default nothing */
  readonly log?: (line: string) => void;
  /** Limits on connections and slow clients; each defaults to SERVE_LIMIT_DEFAULTS. */
  readonly limits?: Partial<ServeLimits>;
  /** Directories whose paths never appear in a reply (lakefn's home); cwd, home, tmp and lakefn's own are added. */
  readonly localPaths?: readonly string[];
}


export interface ServeServer {
  /** `http://host:port` as bound. */
  readonly url: string;
  readonly port: number;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** Graceful shutdown: stops accepting, answers in-flight requests, then closes connections. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Status recorded in the metrics for a client that hung up before its answer (nginx's "client closed request"). */
const CLIENT_CLOSED_STATUS = 499;
/** Where lakefn itself is installed: a path replies never show. */
const INSTALL_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX_NAME_LENGTH = 256;
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * Starts the HTTP endpoint of the UDF hook (node:http):
 * `POST /v1/functions/{name}/evaluate`, `POST /compat/{snowflake|bigquery|redshift}/{name}`, `GET /metrics`
 * (Prometheus text), `GET /healthz`. Errors are the typed LakefnError JSON with a status telling retryable (503 +
 * Retry-After, 504) from not (400, 404, 422). Refuses to start on a non-loopback host without a token.
 */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const host = options.host ?? '127.0.0.1';
  const token = resolveServeToken(options.token);
  const limits = { ...SERVE_LIMIT_DEFAULTS, ...options.limits };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new LakefnError('E_USAGE', `the headers timeout (${limits.headersTimeoutMs} ms) must not exceed the request timeout (${limits.requestTimeoutMs} ms)`);
  }
  const authenticator = options.authenticator ?? new CatalogAuthenticator({ serveToken: token });
  const server = new LakefnServeServer(options, authenticator, limits);
  await server.listen(host, options.port ?? 0);
  return server;
}

class LakefnServeServer implements ServeServer {
  url = '';
  port = 0;
  readonly #hook: UdfHook;
  readonly #authenticator: RequestAuthenticator;
  readonly #admin: AdminApi | undefined;
  readonly #maxBodyBytes: number;
  readonly #drainTimeoutMs: number;
  readonly #log: (line: string) => void;
  readonly #metrics: ServeMetrics;
  readonly #server: Server;
  readonly #localPaths: LocalPaths;
  readonly #inFlight = new Set<Promise<void>>();
  #closing: Promise<void> | undefined;

  constructor(options: ServeServerOptions, authenticator: RequestAuthenticator, limits: ServeLimits) {
    this.#hook = options.hook;
    this.#authenticator = authenticator;
    this.#admin = options.admin;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
    this.#log = options.log ?? (() => undefined);
    this.#metrics = new ServeMetrics(options.hook);
    this.#localPaths = new LocalPaths([...(options.localPaths ?? []), process.cwd(), homedir(), tmpdir(), INSTALL_ROOT]);
    this.#server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Node checks the two timeouts on this interval (30 s by default): often enough that they hold to about a second
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      },
      (request, response) => {
        const handled = this.#handle(request, response);
        this.#inFlight.add(handled);
        void handled.finally(() => this.#inFlight.delete(handled));
      },
    );
    this.#server.maxConnections = limits.maxConnections;
    // no idle-socket timeout while a request is answered: an evaluation may run up to its deadline
    this.#server.timeout = 0;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        const address = this.#server.address() as AddressInfo;
        this.port = address.port;
        this.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#drainTimeoutMs)));
      await Promise.race([Promise.allSettled([...this.#inFlight]), timedOut]);
      clearTimeout(timer);
      this.#server.closeAllConnections();
      await closed;
      this.#metrics.close();
    })();
    return this.#closing;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    let route = 'unknown';
    let protocol: CompatProtocol | undefined;
    let partial: readonly StatementResult[] | undefined;
    // A client that hangs up cancels its call: no more batches are sent for it, and nothing is answered or logged.
    const hangUp = new AbortController();
    const onClose = (): void => {
      if (!response.writableFinished) hangUp.abort(new LakefnError('E_CANCELLED', 'the HTTP client closed the connection'));
    };
    response.once('close', onClose);
    try {
      if (this.#closing !== undefined) {
        response.setHeader('Connection', 'close');
        throw httpError(503, 'E_DISPATCHER_CLOSED', 'lakefn serve is shutting down; retry on another instance');
      }
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (path === '/healthz') {
        route = 'healthz';
        requireMethod(request, 'GET');
        return send(response, 200, '{"status":"ok"}');
      }
      const principal = await this.#authenticator.authenticate(request.headers.authorization, request.socket.remoteAddress);
      if (path === '/metrics') {
        route = 'metrics';
        requireMethod(request, 'GET');
        await this.#authorizeMetrics(principal);
        return send(response, 200, await this.#metrics.registry.metrics(), this.#metrics.registry.contentType);
      }
      const segments = path.split('/');
      if (segments.length === 5 && segments[1] === 'v1' && segments[2] === 'functions' && segments[4] === 'evaluate') {
        route = 'evaluate';
        requireMethod(request, 'POST');
        return await this.#evaluate(request, response, decodeName(segments[3] ?? ''), undefined, engineCaller(request, principal), hangUp.signal);
      }
      if (segments.length === 4 && segments[1] === 'v1' && segments[2] === 'functions') {
        route = 'describe';
        requireMethod(request, 'GET');
        const project = new URL(request.url ?? '/', 'http://lakefn').searchParams.get('project') ?? undefined;
        const fn = await this.#hook.describe(decodeName(segments[3] ?? ''), { principal: engineCaller(request, principal), ...(project === undefined ? {} : { project }) });
        return send(response, 200, JSON.stringify({ function: fn }));
      }
      if (path === '/v1/sql') {
        route = 'sql';
        requireMethod(request, 'POST');
        const results: StatementResult[] = [];
        partial = results;
        await this.#sql(request, adminCaller(request, principal), results);
        partial = undefined;
        return send(response, 200, JSON.stringify({ results: results.map(statementResultJson), statements: results }));
      }
      if (path === '/v1/audit' || path === '/v1/audit/verify' || path === '/v1/audit/prune') {
        route = path.slice(1).replaceAll('/', '-');
        return await this.#audit(request, response, path, adminCaller(request, principal));
      }
      if (segments.length === 4 && segments[1] === 'compat') {
        const format = segments[2] ?? '';
        if (!isCompatFormat(format)) throw httpError(404, 'E_USAGE', `unknown compatibility format '${format.slice(0, 40)}': use snowflake, bigquery or redshift`);
        route = `compat-${format}`;
        protocol = COMPAT_PROTOCOLS[format];
        requireMethod(request, 'POST');
        return await this.#evaluate(request, response, decodeName(segments[3] ?? ''), protocol, engineCaller(request, principal), hangUp.signal);
      }
      throw httpError(404, 'E_USAGE', 'no such route: use POST /v1/functions/{name}/evaluate, GET /v1/functions/{name}, POST /compat/{format}/{name}, POST /v1/sql, GET /v1/audit[/verify], POST /v1/audit/prune, GET /metrics or GET /healthz');
    } catch (thrown) {
      // whatever failed after the client left failed because it left (E_CANCELLED): not lakefn's error
      if (hangUp.signal.aborted) {
        response.statusCode = CLIENT_CLOSED_STATUS;
        return;
      }
      const error = toLakefnError(thrown);
      const status = route === 'sql' ? statusForStatementError(error) : statusForError(error);
      if (status === 401) response.setHeader('WWW-Authenticate', `Bearer realm="lakefn"${error.data?.['invalid_token'] === true ? ', error="invalid_token"' : ''}`);
      let shown = error;
      if (status === 500) {
        // lakefn's own failure: its message may name files, SQL or internals, so it goes to the log only
        const incident = randomUUID();
        this.#log(`lakefn serve: incident ${incident}: ${describeError(error)}`);
        shown = new LakefnError(error.code, `lakefn serve failed on its side; its log has the details under incident ${incident}`, { retryable: error.retryable });
      } else if (status > 500 && status !== 503 && status !== 504) {
        this.#log(`lakefn serve: ${describeError(error)}`);
      }
      if (status === 503) response.setHeader('Retry-After', String(retryAfterSeconds(error)));
      if (status === 413) response.setHeader('Connection', 'close');
      const sqlResults = partial === undefined ? {} : { results: partial.map(statementResultJson), statements: partial };
      const body = protocol === undefined ? JSON.stringify({ error: shown.toJSON(), ...sqlResults }) : protocol.errorBody(shown);
      send(response, status, this.#localPaths.hide(body));
    } finally {
      response.off('close', onClose);
      this.#metrics.observeRequest(route, response.statusCode, (performance.now() - started) / 1000);
    }
  }

  async #evaluate(
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
    protocol: CompatProtocol | undefined,
    principal: AuthenticatedPrincipal,
    signal: AbortSignal,
  ): Promise<void> {
    const body = parseRequestJson(await readRequestBody(request, this.#maxBodyBytes));
    const fields = protocol === undefined ? requireObject(body, 'the request body') : undefined;
    const project = fields === undefined ? undefined : optionalString(fields, 'project');
    const caller = { principal, ...(project === undefined ? {} : { project }) };
    const fn = await this.#hook.describe(name, caller);
    const codec = new RowCodec(fn);
    let rows: unknown[][];
    let context: { queryId?: string; user?: string; deadline?: number };
    let reply: (encoded: readonly string[], stats?: unknown) => string;
    let withStats = false;
    if (fields !== undefined) {
      rows = codec.decodeRows(fields.rows, 'rows');
      const queryId = optionalString(fields, 'query_id');
      const user = optionalString(fields, 'user');
      const deadline = readDeadline(fields.timeout_ms);
      if (fields.stats !== undefined && typeof fields.stats !== 'boolean') throw httpError(400, 'E_INVALID_ARGUMENT', '"stats" must be true or false');
      withStats = fields.stats === true;
      context = { ...(queryId === undefined ? {} : { queryId }), ...(user === undefined ? {} : { user }), ...(deadline === undefined ? {} : { deadline }) };
      reply = (encoded, stats) => `{"results":[${encoded.join(',')}]${stats === undefined ? '' : `,"stats":${JSON.stringify(stats)}`}}`;
    } else if (protocol !== undefined) {
      const parsed = protocol.parse(body, request.headers);
      rows = codec.decodeRows(parsed.wireRows, parsed.field, parsed.nullRowMeansNullArguments === true);
      context = { ...(parsed.queryId === undefined ? {} : { queryId: parsed.queryId }), ...(parsed.user === undefined ? {} : { user: parsed.user }) };
      reply = parsed.reply;
    } else {
      throw new LakefnError('E_INTERNAL', 'an evaluate request without a protocol or a body');
    }
    if (withStats) {
      const { results, stats } = await this.#hook.evaluateWithStats(fn.name, rows, { ...context, ...caller, signal });
      send(response, 200, reply(codec.encodeResults(results), stats));
      return;
    }
    const results = await this.#hook.evaluate(fn.name, rows, { ...context, ...caller, signal });
    send(response, 200, reply(codec.encodeResults(results)));
  }

  /**
   * `POST /v1/sql` `{"sql": "…", "project"?: "p", "allow_unknown_region"?: bool, "single"?: bool}`: what `lakefn sql --json`
   * runs, as `principal` (`single`: one statement of a CLI command built from flags, e.g. `lakefn connection create`).
   */
  async #sql(request: IncomingMessage, principal: AuthenticatedPrincipal, results: StatementResult[]): Promise<void> {
    const admin = this.#requireAdmin();
    const fields = requireObject(parseRequestJson(await readRequestBody(request, this.#maxBodyBytes)), 'the request body');
    const sql = fields.sql;
    if (typeof sql !== 'string') throw httpError(400, 'E_INVALID_ARGUMENT', '"sql" must be a string holding the statements');
    const allowUnknownRegion = fields.allow_unknown_region;
    if (allowUnknownRegion !== undefined && typeof allowUnknownRegion !== 'boolean') throw httpError(400, 'E_INVALID_ARGUMENT', '"allow_unknown_region" must be true or false');
    const single = fields.single;
    if (single !== undefined && typeof single !== 'boolean') throw httpError(400, 'E_INVALID_ARGUMENT', '"single" must be true or false');
    await admin.executeSql(sql, principal, { project: optionalString(fields, 'project'), allowUnknownRegion: allowUnknownRegion === true, single: single === true }, (result) => results.push(result));
  }

  /** `GET /v1/audit?since&principal&type&project`, `GET /v1/audit/verify`, `POST /v1/audit/prune {"before"}`. */
  async #audit(request: IncomingMessage, response: ServerResponse, path: string, principal: AuthenticatedPrincipal): Promise<void> {
    const admin = this.#requireAdmin();
    if (path === '/v1/audit/verify') {
      requireMethod(request, 'GET');
      return send(response, 200, JSON.stringify(await admin.verifyAudit(principal)));
    }
    if (path === '/v1/audit/prune') {
      requireMethod(request, 'POST');
      const fields = requireObject(parseRequestJson(await readRequestBody(request, this.#maxBodyBytes)), 'the request body');
      const before = typeof fields.before === 'string' ? normalizeInstant(fields.before) : undefined;
      if (before === undefined) throw httpError(400, 'E_USAGE', '"before" must be an ISO-8601 date or time');
      return send(response, 200, JSON.stringify(await admin.pruneAudit(principal, before)));
    }
    requireMethod(request, 'GET');
    const query = new URL(request.url ?? '/', 'http://lakefn').searchParams;
    const sinceText = query.get('since');
    const since = sinceText === null ? undefined : normalizeInstant(sinceText);
    if (sinceText !== null && since === undefined) throw httpError(400, 'E_USAGE', `since '${sinceText.slice(0, 40)}' is not an ISO-8601 date or time`);
    const types = query.getAll('type');
    const unknown = types.find((type) => !(AUDIT_EVENT_TYPES as readonly string[]).includes(type));
    if (unknown !== undefined) throw httpError(400, 'E_USAGE', `type '${unknown.slice(0, 40)}' is not one of ${AUDIT_EVENT_TYPES.join(', ')}`);
    const filter = { since, principal: query.get('principal') ?? undefined, types: types.length === 0 ? undefined : (types as AuditEventType[]) };
    const records: string[] = [];
    await admin.listAudit(principal, filter, query.get('project') ?? undefined, (record) => records.push(JSON.stringify(auditRecordJson(record))));
    send(response, 200, `[${records.join(',')}]`);
  }

  /**
   * lakefn:ReadMetrics, decided on the catalog by the admin API. A server without one (engine calls only, no catalog
   * to decide on) shows its metrics to the bootstrap super administrator (LAKEFN_SERVE_TOKEN) alone: deny by default.
   */
  async #authorizeMetrics(principal: AuthenticatedPrincipal): Promise<void> {
    if (this.#admin !== undefined) return this.#admin.authorizeMetrics(principal);
    if (principal.subject.kind !== 'bootstrap') {
      throw httpError(403, 'E_ACCESS_DENIED', `${principal.name} is not authorized to read /metrics: this server has no catalog to decide lakefn:ReadMetrics on, so only LAKEFN_SERVE_TOKEN may`);
    }
  }

  #requireAdmin(): AdminApi {
    if (this.#admin === undefined) throw httpError(404, 'E_USAGE', 'this server has no admin API (POST /v1/sql, /v1/audit): it serves engine calls only');
    return this.#admin;
  }
}

/**
 * Local directories whose paths a reply never shows (a path tells a client how the server is laid out): each is
 * replaced by `<local path>` where it stands as a path (not inside a longer name). Longest first, so a home inside
 * the working directory is hidden whole.
 */
class LocalPaths {
  readonly #patterns: readonly RegExp[];

  constructor(directories: readonly string[]) {
    const roots = [...new Set(directories.map((directory) => directory.replace(/\/+$/, '')).filter((directory) => directory.length > 1))];
    roots.sort((left, right) => right.length - left.length);
    // a root as it appears in JSON text too (its backslashes escaped), bounded by non-name characters on both sides
    this.#patterns = roots.map((root) => new RegExp(`(?<![\\w.-])${escapeRegExp(JSON.stringify(root).slice(1, -1))}(?![\\w.-])`, 'g'));
  }

  hide(text: string): string {
    return this.#patterns.reduce((hidden, pattern) => hidden.replace(pattern, '<local path>'), text);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function send(response: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8'): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.statusCode = status;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

function requireMethod(request: IncomingMessage, method: string): void {
  if (request.method !== method) throw httpError(405, 'E_USAGE', `use ${method} for this route, not ${request.method ?? '?'}`);
}

function decodeName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw httpError(400, 'E_INVALID_ARGUMENT', 'the function name in the path is not valid percent-encoding');
  }
  if (name === '' || name.length > MAX_NAME_LENGTH) throw httpError(400, 'E_INVALID_ARGUMENT', `the function name in the path must be 1 to ${MAX_NAME_LENGTH} characters`);
  return name;
}

/**
 * The principal an engine call runs as: the authenticated one, or the end user it names in `X-Lakefn-On-Behalf-Of`
 * (the authorization function then requires the built-in `engine` role of the authenticated principal, and the audit
 * keeps both).
 */
function engineCaller(request: IncomingMessage, principal: AuthenticatedPrincipal): AuthenticatedPrincipal {
  const header = request.headers['x-lakefn-on-behalf-of'];
  if (header === undefined) return principal;
  if (Array.isArray(header) || header.length > MAX_NAME_LENGTH) throw httpError(400, 'E_INVALID_ARGUMENT', 'X-Lakefn-On-Behalf-Of must be given once, a user name of at most 256 characters');
  const user = lexIdentifier(header);
  if (user === undefined || user.includes(':')) throw httpError(400, 'E_INVALID_ARGUMENT', 'X-Lakefn-On-Behalf-Of must be a user name (SQL identifier rules; quote it with "…" when it has special characters)');
  return onBehalfOf(principal, user);
}

/** Statements and the audit log are never run on behalf of someone: the header is for engine calls. */
function adminCaller(request: IncomingMessage, principal: AuthenticatedPrincipal): AuthenticatedPrincipal {
  if (request.headers['x-lakefn-on-behalf-of'] !== undefined) throw httpError(400, 'E_USAGE', 'X-Lakefn-On-Behalf-Of applies to engine calls (evaluate, compat) only, not to /v1/sql or the audit routes');
  return principal;
}

function readDeadline(timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined || timeoutMs === null) return undefined;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw httpError(400, 'E_INVALID_ARGUMENT', `"timeout_ms" must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  }
  return Date.now() + timeoutMs;
}
