import { createHash } from 'node:crypto';
import { addDispatchCounters } from '../dispatcher/add-dispatch-counters.ts';
import { LatencyHistogram } from '../dispatcher/latency-histogram.ts';
import type { AttemptReport, CallContext, CallGuard, CallSummary, ResolvedFunction } from '../dispatcher/dispatcher-types.ts';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { Placed, ProjectRecord } from '../spec/governance-records.ts';
import type { CatalogReadSession, CatalogStore } from '../store/catalog-store.ts';
import type { ResolvedPrincipal } from './access-model.ts';
import { authzEvent, invokeAttemptEvent, invokeSummaryEvent, type InvocationFacts } from './audit-events.ts';
import type { AuditWriter } from './audit-writer.ts';
import type { AuthenticatedPrincipal } from './authenticated-principal.ts';
import { openAccess } from './open-access.ts';
import { accessDenied, authorizeRequest } from './authorize-request.ts';
import { ObjectResolver } from './object-resolver.ts';
import { heldRoute, packageRoutesTo, readableRoute, viaPackageFields, type PackageRoute } from './package-routes.ts';
import { connectionResource, formatResourceName, functionResource, type AuthorizationDecision } from './policy/index.ts';

/**
 * The call-time rule on every call path (the dispatcher's `resolveFunction`: `lakefn invoke`, serve's evaluate and
 * compat routes, the in-process UDF hook, DuckDB). Definer rights, as in Snowflake: a call succeeds only if
 *   - the caller may see the function and holds EXECUTE on it (or owns it), directly or through roles;
 *   - the function's CURRENT owner holds USAGE on its connection (or owns it): revoking it stops the function, for
 *     every caller (fail closed). Callers never need USAGE on the connection;
 *   - the connection is VERIFIED.
 * The decision is the one authorization function's (InvokeFunction with its owner's UseConnection as a dependency).
 *
 * Before each batch the call's guard reads the catalog version (one indexed single-row read, shared by the batches
 * that start together); when it moved, the call is decided again in one snapshot (shared by the calls of the same
 * principal and function) and stopped at that batch when it is no longer allowed: a REVOKE takes effect at the next
 * batch of a running query. Nothing else is cached. When a policy in force has a lakefn:CurrentTime condition, no
 * decision is reused and every batch is decided again (a time window can close without any catalog change); a kept
 * decision is also keyed by the client address (lakefn:SourceIp).
 */
export interface CallAuthorizerOptions {
  readonly store: CatalogStore;
  readonly audit: AuditWriter;
  /** Who calls when the call context names no principal: the process's own (local super administrator). */
  readonly principal: AuthenticatedPrincipal;
  /** The project names resolve in when the call context names none; undefined: `default`. */
  readonly project?: string | undefined;
}

/** One call's facts, as decided. */
interface CallState {
  readonly principal: AuthenticatedPrincipal;
  /** The name the call gave and the project it named it in: a re-decision resolves exactly the same way. */
  readonly calledName: string;
  readonly callingProject: string | undefined;
  readonly function: Placed<FunctionRecord>;
  readonly connection: Placed<ConnectionRecord>;
  readonly version: number;
  readonly facts: InvocationFacts;
  /**
   * A policy in force has a lakefn:CurrentTime condition: the decision can change without a catalog change, so it is
   * never reused and every batch decides again.
   */
  readonly timeDependent: boolean;
}

const RECHECKS_REMEMBERED = 1024;

export class CallAuthorizer {
  readonly #store: CatalogStore;
  readonly #audit: AuditWriter;
  readonly #principal: AuthenticatedPrincipal;
  readonly #project: string | undefined;
  #versionRead: Promise<number> | undefined;
  #highestVersion = 0;
  /** queryId + function → the merged summary of that query's calls so far (`summaryPerQuery`). */
  readonly #querySummaries = new Map<string, { readonly queryId: string; readonly facts: InvocationFacts; summary: CallSummary }>();
  /** principal + function → the re-decision at a version (shared by concurrent calls). */
  readonly #rechecks = new Map<string, { readonly version: number; readonly outcome: Promise<void> }>();
  /**
   * principal + project + name → the allowed decision at a catalog version: a call at the same version reuses it (one
   * version read instead of a snapshot); any change moves the version and so decides again. Denials are not kept.
   */
  readonly #decisions = new Map<string, CallState>();

  constructor(options: CallAuthorizerOptions) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#principal = options.principal;
    this.#project = options.project;
  }

  /** The dispatcher's resolveFunction: the function and connection, decided for the call's principal, with its guard. */
  async resolve(name: string, context: CallContext): Promise<ResolvedFunction> {
    const principal = context.principal ?? this.#principal;
    const project = context.project ?? this.#project;
    const key = `${principalKey(principal)}\u0000${project ?? ''}\u0000${name}`;
    const known = this.#decisions.get(key);
    let state: CallState;
    if (known !== undefined && !known.timeDependent && known.version === (await this.version())) {
      state = known;
    } else {
      state = await this.#decide(principal, project, name);
      this.#decisions.delete(key);
      this.#decisions.set(key, state);
      if (this.#decisions.size > RECHECKS_REMEMBERED) this.#decisions.delete(this.#decisions.keys().next().value ?? key);
    }
    return { function: state.function.record, connection: state.connection.record, guard: new GovernedCall(this, state, context.summaryPerQuery === true) };
  }

  /** A call ended: its INVOKE_SUMMARY is queued now, or merged into its query's (`summaryPerQuery`). */
  summarize(facts: InvocationFacts, summary: CallSummary, perQuery: boolean): void {
    if (!perQuery) {
      this.#audit.enqueue(invokeSummaryEvent(facts, summary));
      return;
    }
    const key = `${summary.queryId}\u0000${facts.functionId}\u0000${facts.principal.name}`;
    const known = this.#querySummaries.get(key);
    if (known === undefined) this.#querySummaries.set(key, { queryId: summary.queryId, facts, summary });
    else known.summary = mergeSummaries(known.summary, summary);
  }

  /** The query is over: its merged summaries are queued (one per function). */
  endQuery(queryId: string): void {
    for (const [key, entry] of this.#querySummaries) {
      if (entry.queryId !== queryId) continue;
      this.#querySummaries.delete(key);
      this.#audit.enqueue(invokeSummaryEvent(entry.facts, entry.summary));
    }
  }

  /** Queues every summary still being merged (the process is closing). */
  endQueries(): void {
    for (const entry of this.#querySummaries.values()) this.#audit.enqueue(invokeSummaryEvent(entry.facts, entry.summary));
    this.#querySummaries.clear();
  }

  /**
   * A function's record for an engine (argument and return types), if the principal may see it. A function of another
   * project (granted directly, or through an installed package) is returned under the name that calls it there,
   * `<project>.<name>`, so an engine that calls what it described reaches the same function.
   */
  async describe(name: string, context: CallContext = {}): Promise<FunctionRecord> {
    const principal = context.principal ?? this.#principal;
    // a refused principal (an on-behalf-of engine without the engine role, a dropped user) is audited like any denial
    const denials: AuditEvent[] = [];
    const current = context.project ?? this.#project ?? 'default';
    try {
      return await this.#store.read(async (session) => {
        const resolver = await this.#resolver(session, principal, context.project ?? this.#project, denials);
        const resolved = await functionNamed(resolver, name, 'lakefn:DescribeFunction');
        const record = resolved.placed.record;
        return resolved.project.name === current ? record : { ...record, name: `${resolved.project.name}.${record.name}` };
      });
    } finally {
      for (const denial of denials) this.#audit.enqueue(denial);
    }
  }

  /**
   * The functions of the (call context's) project the principal may see, then those it may call through packages
   * installed in that project, named `<provider project>.<name>` (how they are called).
   */
  async listFunctions(context: CallContext = {}): Promise<FunctionRecord[]> {
    const principal = context.principal ?? this.#principal;
    return this.#store.read(async (session) => {
      const resolver = await this.#resolver(session, principal, context.project ?? this.#project, []);
      const project = await resolver.project(null);
      const own = (await session.placedFunctions(project.id)).filter((placed) => resolver.objectVisible('function', placed.record.id, placed.ownerId, project.name)).map((placed) => placed.record);
      return [...own, ...(await packagedFunctions(session, resolver, project))];
    });
  }

  /**
   * The catalog version, one read for every batch that asks while it is under way. The counter only ever grows: a
   * value below one already seen means it was rewound outside lakefn, and every kept decision is dropped (decided
   * again), so rewinding it cannot keep a revoked decision alive once this process has seen the change.
   */
  version(): Promise<number> {
    this.#versionRead ??= this.#store
      .catalogVersion()
      .then((version) => {
        if (version < this.#highestVersion) {
          this.#decisions.clear();
          this.#rechecks.clear();
        }
        this.#highestVersion = Math.max(this.#highestVersion, version);
        return version;
      })
      .finally(() => (this.#versionRead = undefined));
    return this.#versionRead;
  }

  /** Decides a running call again at `version` (once for all the calls of that principal and function at that version). */
  recheck(state: CallState, version: number): Promise<void> {
    const key = `${principalKey(state.principal)}\u0000${state.function.record.id}`;
    const known = this.#rechecks.get(key);
    if (known !== undefined && known.version >= version) return known.outcome;
    const outcome = this.#redecide(state);
    this.#rechecks.delete(key);
    this.#rechecks.set(key, { version, outcome });
    if (this.#rechecks.size > RECHECKS_REMEMBERED) this.#rechecks.delete(this.#rechecks.keys().next().value ?? key);
    return outcome;
  }

  /** Decides a running call again now (a time-dependent policy is in force: the clock alone may change the decision). */
  recheckNow(state: CallState): Promise<void> {
    return this.#redecide(state);
  }

  record(event: Parameters<AuditWriter['enqueue']>[0]): void {
    this.#audit.enqueue(event);
  }

  async #redecide(state: CallState): Promise<void> {
    const fresh = await this.#decide(state.principal, state.callingProject, state.calledName, state.function.record.id);
    const place = { function: state.function.record.name, connection: state.connection.record.name };
    if (fresh.connection.record.id !== state.connection.record.id || fresh.connection.record.version !== state.connection.record.version) {
      throw new LakefnError(
        'E_CONNECTION_NOT_USABLE',
        `connection '${state.connection.record.name}' of function '${state.function.record.name}' changed during the call (altered, rotated, re-validated or replaced); ` +
          'no more batches are sent with the old settings. Run the query again',
        { location: place },
      );
    }
  }

  /** Resolves and decides a call in one snapshot; a denial is audited and thrown. */
  async #decide(principal: AuthenticatedPrincipal, projectName: string | undefined, name: string, functionId?: string): Promise<CallState> {
    const denials: AuditEvent[] = [];
    try {
      return await this.#store.read(async (session) => {
        const version = await session.catalogVersion();
        const resolver = await this.#resolver(session, principal, projectName, denials);
        const resolved = await functionNamed(resolver, name, 'lakefn:InvokeFunction');
        if (functionId !== undefined && resolved.placed.record.id !== functionId) {
          throw new LakefnError('E_NO_SUCH_FUNCTION', `function '${name}' was dropped or replaced during the call; no more batches are sent. Run the query again`, {
            location: { function: name },
          });
        }
        const fn = resolved.placed;
        const connection = await session.placedConnectionById(fn.record.connectionId);
        const connectionProject = connection === undefined ? undefined : await session.governance.projectById(connection.projectId);
        if (connection === undefined || connectionProject === undefined) {
          throw new LakefnError('E_STORE_TAMPERED', `function '${name}' names a connection that does not exist`, { location: { function: name } });
        }
        const decision = this.#invokeDecision(resolver, resolved.project, fn, connection, connectionProject, await resolver.model.resolveId(fn.ownerId), resolved.viaPackage);
        const place = { function: fn.record.name, connection: connection.record.name, provider: connection.record.provider };
        if (!decision.allowed) {
          denials.push(authzEvent(principal, resolved.project.name, decision));
          throw accessDenied(decision, place, decision.deniedAt === 'data_layer' ? labelFacts(resolved.viaPackage, resolver.principal) : {});
        }
        if (connection.record.status !== 'VERIFIED') {
          throw new LakefnError('E_CONNECTION_NOT_USABLE', `connection '${connection.record.name}' is ${connection.record.status}, not VERIFIED: run VALIDATE API CONNECTION first`, { location: place });
        }
        return {
          principal,
          calledName: name,
          callingProject: projectName,
          function: fn,
          connection,
          version,
          facts: invocationFacts(principal, resolved.project, fn, connection, connectionProject, resolver, decision, heldRoute(resolved.viaPackage, resolver.principal)),
          timeDependent: resolver.model.policies.timeDependent,
        };
      });
    } finally {
      for (const denial of denials) this.#audit.enqueue(denial);
    }
  }

  #invokeDecision(
    resolver: ObjectResolver,
    project: ProjectRecord,
    fn: Placed<FunctionRecord>,
    connection: Placed<ConnectionRecord>,
    connectionProject: ProjectRecord,
    owner: ResolvedPrincipal,
    viaPackage: readonly PackageRoute[] | undefined,
  ): AuthorizationDecision {
    const context = { 'lakefn:Provider': connection.record.provider, 'lakefn:Region': connection.record.region, 'lakefn:ConnectionName': connection.record.name };
    return authorizeRequest(resolver.model, resolver.principal, {
      action: 'lakefn:InvokeFunction',
      resource: functionResource(project.name, fn.record.name),
      context: { ...context, 'lakefn:ViaPackage': viaPackage !== undefined },
      privilege: {
        kind: 'object',
        object: { kind: 'function', id: fn.record.id, displayName: `${project.name}.${fn.record.name}`, ownerId: fn.ownerId },
        accepted: ['EXECUTE'],
        ownership: true,
        ...(viaPackage === undefined ? {} : { packages: viaPackage }),
      },
      dependencies: [{
        as: 'owner',
        principal: owner,
        request: {
          action: 'lakefn:UseConnection',
          resource: connectionResource(connectionProject.name, connection.record.name),
          context,
          privilege: {
            kind: 'object',
            object: { kind: 'connection', id: connection.record.id, displayName: `${connectionProject.name}.${connection.record.name}`, ownerId: connection.ownerId },
            accepted: ['USAGE'],
            ownership: true,
          },
        },
      }],
    });
  }

  async #resolver(session: CatalogReadSession, principal: AuthenticatedPrincipal, projectName: string | undefined, denials: AuditEvent[]): Promise<ObjectResolver> {
    const { model, resolved } = await openAccess(session, principal, projectName ?? 'default', 'lakefn:InvokeFunction', denials);
    return new ObjectResolver({
      session,
      model,
      principal: resolved,
      currentProject: projectName ?? 'default',
      explicitProject: projectName !== undefined && projectName !== 'default',
      onDenied: (decision, project) => denials.push(authzEvent(principal, project, decision)),
    });
  }
}

type AuditEvent = Parameters<AuditWriter['enqueue']>[0];

/** The guard of one governed call: per-batch re-authorization and the call's audit records. */
class GovernedCall implements CallGuard {
  readonly #authorizer: CallAuthorizer;
  readonly #state: CallState;
  readonly #perQuery: boolean;
  #version: number;
  readonly onAttempt: ((attempt: AttemptReport) => void) | undefined;

  constructor(authorizer: CallAuthorizer, state: CallState, perQuery: boolean) {
    this.#authorizer = authorizer;
    this.#state = state;
    this.#perQuery = perQuery;
    this.#version = state.version;
    this.onAttempt = state.function.record.properties.auditLevel === 'attempt' ? (attempt) => authorizer.record(invokeAttemptEvent(state.facts, attempt)) : undefined;
  }

  async beforeBatch(): Promise<void> {
    const version = await this.#authorizer.version();
    if (this.#state.timeDependent) {
      await this.#authorizer.recheckNow(this.#state);
      this.#version = version;
      return;
    }
    if (version === this.#version) return;
    await this.#authorizer.recheck(this.#state, version);
    this.#version = version;
  }

  end(summary: CallSummary): void {
    this.#authorizer.summarize(this.#state.facts, summary, this.#perQuery);
  }
}

/** A function by the name an engine passes: as given, else lower-cased (unquoted SQL names fold to lower case). */
async function functionNamed(resolver: ObjectResolver, name: string, action: 'lakefn:InvokeFunction' | 'lakefn:DescribeFunction') {
  try {
    return await resolver.function(name, null, action);
  } catch (error) {
    const lowerCase = name.toLowerCase();
    if (!(LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_FUNCTION') || lowerCase === name) throw error;
    return resolver.function(lowerCase, null, action);
  }
}

/**
 * What a denial of a call through a package adds when the function's sensitivity label kept it out: the label, the
 * label the consumer project is allowed, and the package (the message says the same in words).
 */
function labelFacts(routes: readonly PackageRoute[] | undefined, principal: ResolvedPrincipal): Record<string, unknown> {
  const route = readableRoute(routes, principal);
  if (route === undefined || heldRoute(routes, principal) !== undefined) return {};
  return {
    package: `${route.providerProject}.${route.packageName}`,
    consumer_project: route.consumerProject,
    sensitivity_label: route.functionLabel,
    allowed_label: route.allowedLabel,
  };
}

/** The functions a principal reaches through the packages installed in `consumer`, named `<provider>.<name>`, sorted. */
async function packagedFunctions(session: CatalogReadSession, resolver: ObjectResolver, consumer: ProjectRecord): Promise<FunctionRecord[]> {
  const found = new Map<string, FunctionRecord>();
  for (const install of await session.packages.installsIn(consumer.id)) {
    const pkg = await session.packages.packageById(install.packageId);
    const provider = pkg === undefined ? undefined : await session.governance.projectById(pkg.projectId);
    if (pkg === undefined || provider === undefined) continue;
    for (const object of await session.packages.objectsOf(pkg.id)) {
      const placed = await session.placedFunctionById(object.functionId);
      if (placed === undefined || resolver.objectVisible('function', placed.record.id, placed.ownerId, provider.name)) continue;
      const name = `${provider.name}.${placed.record.name}`;
      if (found.has(name)) continue;
      // the same rule as resolving a call: allowed, READ held. A function its sensitivity label keeps out is listed too
      // (an engine registers what it lists): calling it is denied by the authorization function, which names the label
      if (readableRoute(await packageRoutesTo(session, placed, provider, consumer), resolver.principal) !== undefined) found.set(name, { ...placed.record, name });
    }
  }
  return [...found.values()].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

function invocationFacts(
  principal: AuthenticatedPrincipal,
  project: ProjectRecord,
  fn: Placed<FunctionRecord>,
  connection: Placed<ConnectionRecord>,
  connectionProject: ProjectRecord,
  resolver: ObjectResolver,
  decision: AuthorizationDecision,
  route: PackageRoute | undefined,
): InvocationFacts {
  const matched: string[] = [];
  for (const step of decision.steps) if (step.step === 'data_layer' && step.grant !== undefined) matched.push(step.grant);
  return {
    principal,
    project: project.name,
    function: fn.record.name,
    functionId: fn.record.id,
    owner: resolver.model.describe(fn.ownerId),
    connection: connection.record.name,
    connectionProject: connectionProject.name,
    connectionId: connection.record.id,
    connectionVersion: connection.record.version,
    provider: connection.record.provider,
    region: connection.record.region,
    roleArn: connection.record.roleArn,
    externalIdFingerprint: createHash('sha256').update(connection.record.externalId).digest('hex').slice(0, 12),
    remoteFunction: fn.record.qualifier === null ? fn.record.cloudFunction : `${fn.record.cloudFunction}:${fn.record.qualifier}`,
    authz: {
      action: decision.action,
      resource: decision.resource === undefined ? '' : formatResourceName(decision.resource),
      decision: 'ALLOW',
      breakGlass: decision.breakGlass,
      matched,
    },
    ...(route === undefined ? {} : { viaPackage: viaPackageFields(route) }),
  };
}

/** Two calls of one query as one: counters added, histograms merged, the first failure kept. */
function mergeSummaries(left: CallSummary, right: CallSummary): CallSummary {
  const histogram = new LatencyHistogram();
  histogram.addSparseCounts(left.latencyHistogram);
  histogram.addSparseCounts(right.latencyHistogram);
  return {
    queryId: left.queryId,
    startedAt: Math.min(left.startedAt, right.startedAt),
    endedAt: Math.max(left.endedAt, right.endedAt),
    stats: {
      ...addDispatchCounters(left.stats, right.stats),
      currentConcurrency: right.stats.currentConcurrency,
      latencyMs: histogram.summary(),
    },
    latencyHistogram: histogram.sparseCounts(),
    requestIds: [...left.requestIds, ...right.requestIds].slice(0, 10),
    failure: left.failure ?? right.failure,
  };
}

/** Who calls, from where: a decision kept for one client address is never reused for another (lakefn:SourceIp). */
function principalKey(principal: AuthenticatedPrincipal): string {
  return JSON.stringify([principal.subject, principal.name, principal.actor?.relation, principal.actor?.principal.name, principal.sourceIp ?? null]);
}
