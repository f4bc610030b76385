import type { TableCell, TableResult } from '../sql/execute-result.ts';
import type { GrantPackageOwnershipStatement, ShowPackageGrantsStatement } from '../sql/statement.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { installedPackage, managePackages, noSuchPackage, notInstalled, ownerOrReader } from './package-statements.ts';
import { packageResource } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * Grants on packages, in SHOW GRANTS and GRANT OWNERSHIP (issue 12): READ on an installed package is a grant like any
 * other, listed by SHOW GRANTS TO the grantee and SHOW GRANTS ON PACKAGE p.k in the consumer project; a package's
 * ownership moves with GRANT OWNERSHIP ON PACKAGE k (managing a package takes its project's ownership or admin either
 * way: its owner is who SHOW PACKAGES lists it for, and who DROP USER hands it over from).
 */

const GRANT_COLUMNS = ['privilege', 'grantee_kind', 'grantee', 'grant_option', 'granted_by', 'created_at'];

/** SHOW GRANTS ON PACKAGE p.k (consumer: READ on the installation) or k (provider: its ownership). */
export async function showPackageGrantsGoverned(context: StatementContext, statement: ShowPackageGrantsStatement): Promise<HandlerOutcome> {
  const current = await context.project(null);
  const table = (rows: readonly TableCell[][]): TableResult => ({ kind: 'table', statement: statement.kind, position: statement.position, notices: damagedNotices(context), columns: GRANT_COLUMNS, rows });
  if (statement.project === null || statement.project === current.name) {
    const qualified = `${current.name}.${statement.name}`;
    context.require(managePackages(context, 'lakefn:ListGrants', current, statement.name), current.name);
    const pkg = await context.session.packages.package(current.id, statement.name);
    if (pkg === undefined) throw noSuchPackage(qualified);
    return { result: table([['OWNERSHIP', ...granteeCells(context, pkg.ownerId), null, null, pkg.createdAt]]), project: current.name, package: { package: qualified, provider_project: current.name } };
  }
  const reference = { project: statement.project, name: statement.name };
  const qualified = `${reference.project}.${reference.name}`;
  const { install } = await installedPackage(context, current, reference);
  context.require({ action: 'lakefn:ListGrants', resource: packageResource(reference.project, reference.name), privilege: await ownerOrReader(context, current, install, qualified) }, current.name);
  if (install === undefined) throw notInstalled(qualified, current.name);
  const rows: TableCell[][] = [];
  for (const grant of await context.session.packages.grantsOn(install.id)) rows.push(['READ', ...granteeCells(context, grant.granteeId), 'NO', grant.grantedBy, grant.createdAt]);
  return { result: table(rows), project: current.name, package: { package: qualified, provider_project: reference.project, consumer_project: current.name } };
}

/** GRANT OWNERSHIP ON PACKAGE k TO USER|ROLE x, in the package's project: by the project's owner, admin, or the package's owner. */
export async function grantPackageOwnershipGoverned(context: StatementContext, statement: GrantPackageOwnershipStatement): Promise<HandlerOutcome> {
  const project = await context.project(null);
  const qualified = `${project.name}.${statement.package}`;
  const owner = context.principalNamed(statement.grantee);
  const packages = context.session.packages;
  const pkg = await packages.package(project.id, statement.package);
  const ownsIt = pkg !== undefined && context.principal.ids.has(pkg.ownerId);
  context.require({
    ...managePackages(context, 'lakefn:TransferOwnership', project, statement.package),
    privilege: {
      kind: 'any',
      alternatives: [
        { kind: 'object', object: context.projectObject(project), accepted: [], ownership: true },
        ...(ownsIt ? [{ kind: 'held' as const, description: `OWNERSHIP of package ${qualified}` }] : []),
      ],
    },
  }, project.name, 'always');
  if (pkg === undefined) throw noSuchPackage(qualified);
  const fields = { package: qualified, provider_project: project.name };
  const subject = `${owner.kind} ${owner.name}`;
  const result = (message: string, notices: readonly string[]): HandlerOutcome => ({
    result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object: 'ownership', name: qualified, outcome: 'transferred', message },
    project: project.name,
    package: fields,
    before: { owner: context.model.describe(pkg.ownerId) },
  });
  if (pkg.ownerId === owner.id) return result(`package ${qualified} is owned by ${subject}`, [`${subject} already owns package ${qualified}; unchanged`]);
  await packages.setPackageOwner(pkg, owner.id);
  return result(`ownership of package ${qualified} transferred from ${context.model.describe(pkg.ownerId)} to ${subject}`, []);
}

/**
 * SHOW GRANTS TO x: the package READ grants x holds (`shared_udfs.k (installed in analytics)`) and the packages it owns,
 * in SHOW GRANTS TO's columns (privilege, object_kind, object, grant_option, granted_by, created_at).
 */
export async function packageGrantRowsTo(context: StatementContext, granteeId: string): Promise<TableCell[][]> {
  const packages = context.session.packages;
  const governance = context.session.governance;
  const rows: TableCell[][] = [];
  for (const grant of await packages.grantsTo([granteeId])) {
    const install = await packages.installById(grant.installId);
    const pkg = install === undefined ? undefined : await packages.packageById(install.packageId);
    if (install === undefined || pkg === undefined) continue;
    const provider = (await governance.projectById(pkg.projectId))?.name ?? pkg.projectId;
    const consumer = (await governance.projectById(install.projectId))?.name ?? install.projectId;
    rows.push(['READ', 'package', `${provider}.${pkg.name} (installed in ${consumer})`, 'NO', grant.grantedBy, grant.createdAt]);
  }
  for (const pkg of await packages.packagesOwnedBy(granteeId)) {
    rows.push(['OWNERSHIP', 'package', `${(await governance.projectById(pkg.projectId))?.name ?? pkg.projectId}.${pkg.name}`, null, null, pkg.createdAt]);
  }
  return rows;
}

function granteeCells(context: StatementContext, id: string): [TableCell, TableCell] {
  const principal = context.model.principalById(id);
  return principal === undefined ? [null, id] : [principal.kind, principal.name];
}

function damagedNotices(context: StatementContext): string[] {
  const damaged = context.session.packages.damaged;
  if (damaged.length === 0) return [];
  return [`${damaged.length} package row(s) failed their integrity check and share nothing: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
}
