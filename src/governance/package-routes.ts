import type { FunctionRecord } from '../spec/function-record.ts';
import type { Placed, ProjectRecord } from '../spec/governance-records.ts';
import { DEFAULT_LABEL } from '../spec/package-records.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import { labelValue } from '../store/sql-label-session.ts';
import type { ResolvedPrincipal } from './access-model.ts';

/**
 * How a consumer reaches a provider's function through a package (MaxCompute): the function is an object of package
 * `k` of provider project `p` with EXECUTE, `k` is installed in the consumer project `q` (the project the call names
 * the function in), `p` still allows `q` to install it, READ on that installation is granted to the principal or one of
 * its roles, and the function's sensitivity label is at most the label `q` was allowed (`USING LABEL n`; 0 when not
 * given, as a function never labelled is 0). The installation only counts in `q`: the same user calling from another
 * project reaches nothing.
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
  /** The label `q` is allowed (`USING LABEL n`; 0 when not given or no longer allowed). */
  readonly allowedLabel: number;
  /** The function's sensitivity label (0 when never set); null when its label row fails its integrity check. */
  readonly functionLabel: number | null;
}

/** The routes from consumer project `consumer` to `fn` of project `provider` (every installed package sharing it with EXECUTE). */
export async function packageRoutesTo(session: CatalogReadSession, fn: Placed<FunctionRecord>, provider: ProjectRecord, consumer: ProjectRecord): Promise<PackageRoute[]> {
  const packages = session.packages;
  const routes: PackageRoute[] = [];
  let functionLabel: number | null | undefined;
  for (const object of await packages.objectsSharing(fn.record.id)) {
    if (!object.privileges.includes('EXECUTE')) continue;
    const pkg = await packages.packageById(object.packageId);
    // a package shares only functions of its own project (ADD refuses others; a row saying otherwise shares nothing)
    if (pkg === undefined || pkg.projectId !== provider.id || fn.projectId !== provider.id) continue;
    const install = await packages.install(pkg.id, consumer.id);
    if (install === undefined) continue;
    const allow = await packages.allowed(pkg.id, consumer.id);
    const granteeIds = (await packages.grantsOn(install.id)).map((grant) => grant.granteeId);
    functionLabel ??= labelValue(await session.labels.functionLabel(fn.record.id));
    routes.push({
      packageId: pkg.id,
      packageName: pkg.name,
      providerProject: provider.name,
      consumerProject: consumer.name,
      installId: install.id,
      allowed: allow !== undefined,
      granteeIds,
      allowedLabel: allow?.label ?? DEFAULT_LABEL,
      functionLabel,
    });
  }
  return routes;
}

/** The first route the principal may use: allowed, READ held by it or one of its roles, and the label within reach. */
export function heldRoute(routes: readonly PackageRoute[] | undefined, principal: Pick<ResolvedPrincipal, 'ids'>): PackageRoute | undefined {
  return routes?.find((route) => readable(route, principal) && withinLabel(route));
}

/**
 * The first route the principal would use but for the function's label (allowed, READ held): the function is named
 * by the package the principal reads, so it resolves, and the denial says which label keeps it out.
 */
export function readableRoute(routes: readonly PackageRoute[] | undefined, principal: Pick<ResolvedPrincipal, 'ids'>): PackageRoute | undefined {
  return routes?.find((route) => readable(route, principal));
}

/** Why a readable route does not reach the function (its label), for the data layer's denial; undefined when it does. */
export function labelRefusal(route: PackageRoute, functionName: string): string | undefined {
  if (withinLabel(route)) return undefined;
  const pkg = `${route.providerProject}.${route.packageName}`;
  const local = functionName.slice(functionName.indexOf('.') + 1);
  const reached = `READ on package ${pkg} installed in project ${route.consumerProject} does not reach it`;
  if (route.functionLabel === null) {
    return `${reached}: the sensitivity label row of function ${functionName} fails its integrity check, so no package reaches it ` +
      `until the owner of project ${route.providerProject} sets its label again (SET LABEL <0-9> TO FUNCTION ${local})`;
  }
  return `${reached}: function ${functionName} has sensitivity label ${route.functionLabel}, above label ${route.allowedLabel} that project ` +
    `${route.consumerProject} is allowed for package ${pkg} (a consumer reaches the functions labelled at most its label). The owner of project ` +
    `${route.providerProject} may ALLOW PROJECT ${route.consumerProject} TO INSTALL PACKAGE ${route.packageName} USING LABEL ${route.functionLabel}, ` +
    `or lower the function's label (SET LABEL ${route.allowedLabel} TO FUNCTION ${local})`;
}

function readable(route: PackageRoute, principal: Pick<ResolvedPrincipal, 'ids'>): boolean {
  return route.allowed && route.granteeIds.some((id) => principal.ids.has(id));
}

function withinLabel(route: PackageRoute): boolean {
  return route.functionLabel !== null && route.functionLabel <= route.allowedLabel;
}

/** What the audit records of a call through a package: both projects. */
export function viaPackageFields(route: PackageRoute): { readonly package: string; readonly provider_project: string; readonly consumer_project: string } {
  return { package: `${route.providerProject}.${route.packageName}`, provider_project: route.providerProject, consumer_project: route.consumerProject };
}
