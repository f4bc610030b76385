import type { FunctionRecord } from '../spec/function-record.ts';
import type { Placed, ProjectRecord } from '../spec/governance-records.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import type { ResolvedPrincipal } from './access-model.ts';

/**
 * How a consumer reaches a provider's function through a package (MaxCompute): the function is an object of package
 * `k` of provider project `p` with EXECUTE, `k` is installed in the consumer project `q` (the project the call names
 * the function in), `p` still allows `q` to install it, and READ on that installation is granted to the principal or
 * one of its roles. The installation only counts in `q`: the same user calling from another project reaches nothing.
 */
export interface PackageRoute {
  readonly packageId: string;
  readonly packageName: string;
  readonly providerProject: string;
  readonly consumerProject: string;
  readonly installId: string;
  /** The provider still allows the consumer project (DISALLOW stops the installation without removing it). */
  readonly allowed: boolean;
  /** Who holds READ on the installation. */
  readonly granteeIds: readonly string[];
}

/** The routes from consumer project `consumer` to `fn` of project `provider` (every installed package sharing it with EXECUTE). */
export async function packageRoutesTo(session: CatalogReadSession, fn: Placed<FunctionRecord>, provider: ProjectRecord, consumer: ProjectRecord): Promise<PackageRoute[]> {
  const packages = session.packages;
  const routes: PackageRoute[] = [];
  for (const object of await packages.objectsSharing(fn.record.id)) {
    if (!object.privileges.includes('EXECUTE')) continue;
    const pkg = await packages.packageById(object.packageId);
    // a package shares only functions of its own project (ADD refuses others; a row saying otherwise shares nothing)
    if (pkg === undefined || pkg.projectId !== provider.id || fn.projectId !== provider.id) continue;
    const install = await packages.install(pkg.id, consumer.id);
    if (install === undefined) continue;
    const allowed = (await packages.allowed(pkg.id, consumer.id)) !== undefined;
    const granteeIds = (await packages.grantsOn(install.id)).map((grant) => grant.granteeId);
    routes.push({ packageId: pkg.id, packageName: pkg.name, providerProject: provider.name, consumerProject: consumer.name, installId: install.id, allowed, granteeIds });
  }
  return routes;
}

/** The first route the principal may use: allowed, and READ held by it or one of its roles. */
export function heldRoute(routes: readonly PackageRoute[] | undefined, principal: Pick<ResolvedPrincipal, 'ids'>): PackageRoute | undefined {
  return routes?.find((route) => route.allowed && route.granteeIds.some((id) => principal.ids.has(id)));
}

/** What the audit records of a call through a package: both projects. */
export function viaPackageFields(route: PackageRoute): { readonly package: string; readonly provider_project: string; readonly consumer_project: string } {
  return { package: `${route.providerProject}.${route.packageName}`, provider_project: route.providerProject, consumer_project: route.consumerProject };
}
