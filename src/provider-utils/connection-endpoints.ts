import { LakefnError, quoteValue } from '../errors/index.ts';
import type { ProviderCallPhase, ProviderDefinition } from '../spec/provider-definition.ts';

/** Where each API of a connection is called: the production origin or the configured override. */
export interface ConnectionEndpoints extends Readonly<Record<ProviderCallPhase, URL>> {
  /** The provider's other hosts (`ProviderHosts.auxiliary`), checked the same way, by name. */
  readonly auxiliary: Readonly<Record<string, URL>>;
}

/** The connection fields a host may be built from. */
export interface EndpointConnection {
  readonly name: string;
  readonly region: string;
  readonly roleArn: string;
}

const PHASES: readonly ProviderCallPhase[] = ['sts', 'invoke'];
/** One DNS label: letters, digits, inner hyphens (RFC 1123), lower-case as the clouds publish them. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOST_LENGTH = 253;
/** The catalog's bound (src/catalog/regions.ts), checked before the region pattern runs. */
const MAX_REGION_LENGTH = 32;

/**
 * The origins a connection's calls go to. The region must have the provider's region syntax. Production hosts come
 * from the provider's endpoint rules, built from the connection's region and role ARN: each host is checked label by label, then the URL built from it is parsed and
 * must have exactly that host (no user info, port or path can ride in on a region such as `x@127.0.0.1:19443/`).
 * The check runs even when an override replaces the host, so a row that cannot make a valid request never reaches
 * the network. Failure is E_STORE_TAMPERED naming the connection: such a value could only come from a catalog row
 * changed outside lakefn (CREATE and ALTER validate the same fields).
 */
export async function resolveConnectionEndpoints(
  provider: Pick<ProviderDefinition, 'id' | 'names' | 'endpoints' | 'catalog'>,
  connection: EndpointConnection,
  overrides: { readonly sts?: URL | undefined; readonly invoke?: URL | undefined },
): Promise<ConnectionEndpoints> {
  // the region travels in every request (header, scope, host), so it must have the region syntax even where the host does not carry it
  if (connection.region.length > MAX_REGION_LENGTH || !provider.catalog.regions.pattern.test(connection.region)) {
    throw tamperedConnectionError(provider, connection, `do not make a valid request (REGION is not a ${provider.names.cloud} region id)`);
  }
  const hosts = await provider.endpoints.hosts(connection);
  const origin = (host: string | undefined, via: ProviderCallPhase, what: string): URL => {
    const production = host === undefined ? undefined : productionOrigin(host);
    if (production === undefined) throw tamperedConnectionError(provider, connection, `do not make a valid ${what} host${host === undefined ? '' : ` (they give ${quoteValue(host, 120)})`}`);
    const override = overrides[via];
    return override === undefined ? production : new URL(override.origin);
  };
  const [sts, invoke] = PHASES.map((phase) => origin(hosts?.[phase], phase, provider.names.services[phase])) as [URL, URL];
  const auxiliary = Object.fromEntries(Object.entries(hosts?.auxiliary ?? {}).map(([name, { host, via }]) => [name, origin(host, via, name)]));
  return { sts, invoke, auxiliary };
}

/** `https://<host>` when `host` is a plain DNS name and the parsed URL has exactly that host, else undefined. */
export function productionOrigin(host: string): URL | undefined {
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return undefined;
  if (!host.split('.').every((label) => HOST_LABEL.test(label))) return undefined;
  const url = URL.canParse(`https://${host}`) ? new URL(`https://${host}`) : undefined;
  if (url?.hostname !== host || url.host !== host || url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  return url;
}

/**
 * E_STORE_TAMPERED for a connection whose region or role ARN cannot make a valid request (`problem` says why, after
 * "REGION … and ROLE_ARN …"). Adapters raise it from `bindConnection`, before any request.
 */
export function tamperedConnectionError(provider: Pick<ProviderDefinition, 'id'>, connection: EndpointConnection, problem: string): LakefnError {
  return new LakefnError(
    'E_STORE_TAMPERED',
    `connection ${quoteValue(connection.name)}: REGION ${quoteValue(connection.region, 60)} and ROLE_ARN ${quoteValue(connection.roleArn, 120)} ${problem}; ` +
      'CREATE and ALTER never store such values, so the catalog row was changed outside lakefn or is corrupt; no request was sent; ' +
      'recreate the connection (CREATE OR REPLACE API CONNECTION) and check who can write the catalog',
    { location: { connection: connection.name, provider: provider.id } },
  );
}
