import { userInfo } from 'node:os';
import { LakefnError } from '../errors/index.ts';

/**
 * Who is asking, as an entry point authenticated it. Entry points only produce one (the local CLI, the in-process hook,
 * `lakefn serve` with a token or an OIDC ID token); everything downstream (statement execution, dispatcher calls, the
 * audit log) takes it from there. It is a claim about identity, not a grant: the authorization function looks the
 * subject up in the catalog, in the transaction that decides, every time.
 *
 * - `subject`: whose privileges apply. A catalog user by name, or the bootstrap super administrator (the local CLI with
 *   direct access to the catalog, the in-process hook, `LAKEFN_SERVE_TOKEN`), which has no user row and holds every
 *   privilege (break-glass, always audited).
 * - `name`: how the audit log names the subject (`alice`, `local:root`).
 * - `actor`: the authenticated identity that named the subject when it is someone else: the local super administrator
 *   running `--as alice`, or an engine principal stating its end user in `X-Lakefn-On-Behalf-Of`. Both are recorded.
 */
export interface AuthenticatedPrincipal {
  readonly subject: PrincipalSubject;
  readonly name: string;
  readonly method: AuthenticationMethod;
  readonly actor?: PrincipalActor;
  /** The client address (serve); absent for the local CLI and in-process calls. */
  readonly sourceIp?: string;
}

export type PrincipalSubject = { readonly kind: 'user'; readonly name: string } | { readonly kind: 'bootstrap' };

/**
 * `local`: the CLI on the catalog's machine; `in-process`: the UDF hook embedded in a program; `serve-token`: the bootstrap
 * `LAKEFN_SERVE_TOKEN`; `token`: a per-user API token; `oidc`: an OpenID Connect ID token.
 */
export type AuthenticationMethod = 'local' | 'in-process' | 'serve-token' | 'token' | 'oidc';

export interface PrincipalActor {
  readonly relation: 'as' | 'on-behalf-of';
  readonly principal: AuthenticatedPrincipal;
}

/** The OS user running this process (`local:<os user>` in the audit log). */
export function osUserName(): string {
  try {
    return userInfo().username || String(process.getuid?.() ?? 'unknown');
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

/** The local CLI with direct access to the catalog: the bootstrap super administrator, `local:<os user>`. */
export function localPrincipal(osUser: string = osUserName(), method: 'local' | 'in-process' = 'local'): AuthenticatedPrincipal {
  return { subject: { kind: 'bootstrap' }, name: `local:${osUser}`, method };
}

/** `lakefn serve` with `LAKEFN_SERVE_TOKEN`: whoever holds that token is the bootstrap super administrator. */
export function serveTokenPrincipal(sourceIp?: string): AuthenticatedPrincipal {
  return { subject: { kind: 'bootstrap' }, name: 'serve-token', method: 'serve-token', ...(sourceIp === undefined ? {} : { sourceIp }) };
}

/** A catalog user, authenticated by `method` (tokens and OIDC: `lakefn serve`). */
export function userPrincipal(name: string, method: AuthenticationMethod, sourceIp?: string): AuthenticatedPrincipal {
  return { subject: { kind: 'user', name }, name, method, ...(sourceIp === undefined ? {} : { sourceIp }) };
}

/**
 * `--as USER`: the same request as user `name`, so an administrator can check what a user can do. Only the local super
 * administrator may (refused here for anyone else; the authorization function checks it again against the catalog).
 */
export function actingAs(actor: AuthenticatedPrincipal, name: string): AuthenticatedPrincipal {
  if (!isLocalSuperAdministrator(actor)) {
    throw new LakefnError('E_ACCESS_DENIED', `--as is only for the local super administrator (the CLI with direct access to the catalog); ${actor.name} may not act as '${name}'`);
  }
  return { subject: { kind: 'user', name }, name, method: actor.method, actor: { relation: 'as', principal: actor } };
}

/**
 * `X-Lakefn-On-Behalf-Of`: an engine principal's call for its end user. The engine must hold the built-in `engine` role;
 * the authorization function checks that in the catalog (an engine without it is denied, and audited).
 */
export function onBehalfOf(engine: AuthenticatedPrincipal, endUser: string): AuthenticatedPrincipal {
  return {
    subject: { kind: 'user', name: endUser },
    name: endUser,
    method: engine.method,
    actor: { relation: 'on-behalf-of', principal: engine },
    ...(engine.sourceIp === undefined ? {} : { sourceIp: engine.sourceIp }),
  };
}

export function isLocalSuperAdministrator(principal: AuthenticatedPrincipal): boolean {
  return principal.subject.kind === 'bootstrap' && principal.actor === undefined && (principal.method === 'local' || principal.method === 'in-process');
}

/** The audit fields of a principal: who, how, and who acted for it. */
export function principalAuditFields(principal: AuthenticatedPrincipal): { readonly [key: string]: string } {
  return {
    principal: principal.name,
    authentication: principal.method,
    ...(principal.actor === undefined ? {} : { [principal.actor.relation === 'as' ? 'acting_as_by' : 'on_behalf_of_by']: principal.actor.principal.name }),
    ...(principal.sourceIp === undefined ? {} : { source_ip: principal.sourceIp }),
  };
}
