import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import type { ProjectRecord } from '../spec/governance-records.ts';
import { DEFAULT_LABEL, PACKAGE_LIMITS, type PackageInstallRecord, type PackageRecord } from '../spec/package-records.ts';
import type { ChangeResult, TableCell, TableResult } from '../sql/execute-result.ts';
import type {
  AddPackageFunctionStatement, AllowPackageInstallStatement, CreatePackageStatement, DescribePackageStatement, DisallowPackageInstallStatement,
  DropPackageStatement, PackageInstallationStatement, PackageReadGrantStatement, ProviderPackageReference, RemovePackageFunctionStatement,
  ShowPackagesStatement,
} from '../sql/statement.ts';
import { checkLikePattern, nameMatches } from '../store/like-pattern.ts';
import { labelValue } from '../store/sql-label-session.ts';
import type { PackageAuditFields } from './audit-events.ts';
import type { GovernedRequest, PrivilegeQuestion } from './authorize-request.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { functionResource, packageResource, projectResource } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * The package statements (MaxCompute's sharing across projects, issue 12). Provider side, in the package's project:
 * only the project's owner (or `admin`) creates, fills, allows, drops and describes its packages. Consumer side, in the
 * installing project: only that project's owner (or `admin`) installs, uninstalls and grants READ on an installed
 * package; DESC PACKAGE p.k also to those holding READ. Every change moves the catalog version, so running queries
 * decide again at their next batch (REMOVE, DISALLOW, UNINSTALL, DROP and REVOKE READ stop calls there).
 *
 * Authorization comes before any lookup: a principal who may not manage packages of a project gets the same answer
 * whether the package exists or not.
 */

export async function createPackageGoverned(context: StatementContext, statement: CreatePackageStatement): Promise<HandlerOutcome> {
  const project = await context.project(null);
  context.require(managePackages(context, 'lakefn:CreatePackage', project, statement.name), project.name, 'always');
  const packages = context.session.packages;
  const qualified = `${project.name}.${statement.name}`;
  if ((await packages.packageIdForDrop(project.id, statement.name)) !== undefined) {
    if (statement.ifNotExists) return change(statement, project, provided(project, statement.name), 'existed', `package '${qualified}' already exists (unchanged)`, [`package '${qualified}' already exists; IF NOT EXISTS left it unchanged`]);
    throw new LakefnError('E_PACKAGE_EXISTS', `package '${qualified}' already exists (SHOW PACKAGES lists them)`, { data: { package: qualified } });
  }
  const record: PackageRecord = { id: randomUUID(), projectId: project.id, name: statement.name, ownerId: context.creatorId, comment: statement.comment, createdAt: new Date().toISOString() };
  await packages.insertPackage(record);
  return change(statement, project, provided(project, statement.name), 'created', `package '${qualified}' created (owner: ${context.model.describe(record.ownerId)})`, []);
}

export async function dropPackageGoverned(context: StatementContext, statement: DropPackageStatement): Promise<HandlerOutcome> {
  const project = await context.project(null);
  context.require(managePackages(context, 'lakefn:DropPackage', project, statement.name), project.name, 'always');
  const packages = context.session.packages;
  const qualified = `${project.name}.${statement.name}`;
  // by id, without its checks: DROP is also how a package whose row fails its integrity check goes away
  const id = await packages.packageIdForDrop(project.id, statement.name);
  if (id === undefined) {
    if (statement.ifExists) return change(statement, project, provided(project, statement.name), 'not-found', `package '${qualified}' not found`, [`package '${qualified}' does not exist; IF EXISTS made this a no-op`]);
    throw noSuchPackage(qualified);
  }
  const installedIn = await projectNames(context, (await packages.installsOf(id)).map((install) => install.projectId));
  const allowed = await projectNames(context, (await packages.allowedOf(id)).map((allow) => allow.projectId));
  const functions = await functionNames(context, id);
  await packages.deletePackage(id);
  const notices = installedIn.length === 0 ? [] : [`package '${qualified}' was installed in ${installedIn.join(', ')}: calls through it stop at their next batch, and its READ grants are gone`];
  const outcome = change(statement, project, provided(project, statement.name), 'dropped', `package '${qualified}' dropped`, notices);
  return { ...outcome, before: { package: qualified, functions, allowed_projects: allowed, installed_in: installedIn } };
}

export async function packageFunctionGoverned(context: StatementContext, statement: AddPackageFunctionStatement | RemovePackageFunctionStatement): Promise<HandlerOutcome> {
  const adding = statement.kind === 'add-package-function';
  const action = adding ? 'lakefn:AddPackageFunction' : 'lakefn:RemovePackageFunction';
  const project = await context.project(null);
  const qualified = `${project.name}.${statement.package}`;
  const fn = await context.function(statement.function, null, action);
  if (fn.project.id !== project.id) {
    throw new LakefnError(
      'E_INVALID_ARGUMENT',
      `function ${fn.secured.displayName} is not in project ${project.name}: package '${qualified}' shares functions of its own project only (USE PROJECT ${fn.project.name} and share it from a package there)`,
    );
  }
  const request: GovernedRequest = {
    ...managePackages(context, action, project, statement.package),
    context: { 'lakefn:FunctionName': fn.placed.record.name },
    // sharing EXECUTE is granting it: the adder owns the function or holds EXECUTE WITH GRANT OPTION (dependent lakefn:Grant)
    ...(adding
      ? {
          dependencies: [{
            as: 'caller' as const,
            principal: context.principal,
            request: {
              action: 'lakefn:Grant' as const,
              resource: functionResource(project.name, fn.placed.record.name),
              context: { 'lakefn:FunctionName': fn.placed.record.name },
              privilege: { kind: 'object' as const, object: fn.secured, accepted: ['EXECUTE' as const], ownership: true, grantOption: true },
            },
          }],
        }
      : {}),
  };
  context.require(request, project.name, 'always');
  const packages = context.session.packages;
  const pkg = await packages.package(project.id, statement.package);
  if (pkg === undefined) throw noSuchPackage(qualified);
  const functionName = fn.placed.record.name;
  const fields = { package: qualified, provider_project: project.name };
  if (!adding) {
    const removed = await packages.deleteObject(pkg.id, fn.placed.record.id);
    const notices = removed ? [] : [`function ${functionName} is not in package '${qualified}'; nothing was removed`];
    return change(statement, project, fields, 'removed', `function ${functionName} removed from package '${qualified}'`, notices);
  }
  const objects = await packages.objectsOf(pkg.id);
  if (objects.some((object) => object.functionId === fn.placed.record.id)) {
    return change(statement, project, fields, 'added', `function ${functionName} is in package '${qualified}'`, [`function ${functionName} is already in package '${qualified}' WITH PRIVILEGES (EXECUTE); unchanged`]);
  }
  const count = await packages.countObjects(pkg.id);
  if (count >= PACKAGE_LIMITS.objectsPerPackage) {
    throw new LakefnError(
      'E_PACKAGE_LIMIT',
      `package '${qualified}' already holds ${count} objects, the limit of ${PACKAGE_LIMITS.objectsPerPackage} objects per package (MaxCompute's limit); ` +
        `function ${functionName} was not added. REMOVE a function from it, or share this one from another package`,
      { data: { limit: 'objects_per_package', maximum: PACKAGE_LIMITS.objectsPerPackage, package: qualified } },
    );
  }
  await packages.insertObject({ packageId: pkg.id, functionId: fn.placed.record.id, privileges: statement.privileges, addedBy: context.principal.name, createdAt: new Date().toISOString() });
  return change(statement, project, fields, 'added', `function ${functionName} added to package '${qualified}' WITH PRIVILEGES (EXECUTE)`, []);
}

export async function packagePermissionGoverned(context: StatementContext, statement: AllowPackageInstallStatement | DisallowPackageInstallStatement): Promise<HandlerOutcome> {
  const allowing = statement.kind === 'allow-package-install';
  const project = await context.project(null);
  const qualified = `${project.name}.${statement.package}`;
  context.require(managePackages(context, allowing ? 'lakefn:AllowPackageInstall' : 'lakefn:DisallowPackageInstall', project, statement.package), project.name, 'always');
  const packages = context.session.packages;
  const pkg = await packages.package(project.id, statement.package);
  if (pkg === undefined) throw noSuchPackage(qualified);
  // the provider names a consumer it may not otherwise see (another team's project), as MaxCompute's ALLOW does
  const consumer = await context.session.governance.project(statement.consumer);
  if (consumer === undefined) throw new LakefnError('E_NO_SUCH_PROJECT', `project '${statement.consumer}' does not exist; ALLOW and DISALLOW name an existing consumer project`, { data: { project: statement.consumer } });
  const fields = { package: qualified, provider_project: project.name, consumer_project: consumer.name };
  if (consumer.id === project.id) throw new LakefnError('E_INVALID_ARGUMENT', `project ${project.name} owns package '${qualified}': its own functions need no package (GRANT EXECUTE on them instead)`);
  const existing = await packages.allowed(pkg.id, consumer.id);
  const installed = await packages.install(pkg.id, consumer.id);
  if (allowing) {
    const label = statement.kind === 'allow-package-install' ? statement.label : null;
    if (existing !== undefined && existing.label === label) {
      return change(statement, project, fields, 'allowed', `project ${consumer.name} may install package '${qualified}'`, [`project ${consumer.name} is already allowed to install package '${qualified}'; unchanged`]);
    }
    await packages.putAllowed({ packageId: pkg.id, projectId: consumer.id, label, allowedBy: context.principal.name, createdAt: new Date().toISOString() });
    const labelled = label === null ? '' : ` USING LABEL ${label}`;
    const above = await labelledAbove(context, pkg, label ?? DEFAULT_LABEL);
    const notices = above.length === 0
      ? []
      : [`project ${consumer.name} does not reach ${above.join(', ')} of package '${qualified}': their sensitivity label is above ${label ?? DEFAULT_LABEL}${installed === undefined ? '' : ' (calls of them from there stop at their next batch)'}`];
    return change(statement, project, fields, 'allowed', `project ${consumer.name} may install package '${qualified}'${labelled}`, notices);
  }
  if (existing === undefined) {
    return change(statement, project, fields, 'disallowed', `project ${consumer.name} may not install package '${qualified}'`, [`project ${consumer.name} was not allowed to install package '${qualified}'; unchanged`]);
  }
  await packages.deleteAllowed(pkg.id, consumer.id);
  const notices = installed === undefined ? [] : [`package '${qualified}' stays installed in ${consumer.name} but shares nothing there: calls through it stop at their next batch (its owner may UNINSTALL it)`];
  return change(statement, project, fields, 'disallowed', `project ${consumer.name} may no longer install package '${qualified}'`, notices);
}

export async function showPackagesGoverned(context: StatementContext, statement: ShowPackagesStatement): Promise<HandlerOutcome> {
  const project = await context.project(null);
  context.require({ action: 'lakefn:ListPackages', resource: projectResource(project.name) }, project.name);
  if (statement.like !== null) checkLikePattern(statement.like);
  const packages = context.session.packages;
  const rows: TableCell[][] = [];
  const manages = managesProject(context, project);
  for (const pkg of await packages.packagesIn(project.id)) {
    if (!nameMatches(pkg.name, statement.like) || !(manages || context.principal.ids.has(pkg.ownerId))) continue;
    rows.push([pkg.name, project.name, 'CREATED', 'OK', context.model.describe(pkg.ownerId), pkg.comment, pkg.createdAt]);
  }
  for (const install of await packages.installsIn(project.id)) {
    const pkg = await packages.packageById(install.packageId);
    if (pkg === undefined || !nameMatches(pkg.name, statement.like)) continue;
    if (!manages && !(await holdsRead(context, install))) continue;
    const provider = await context.session.governance.projectById(pkg.projectId);
    const allowed = (await packages.allowed(pkg.id, project.id)) !== undefined;
    rows.push([pkg.name, provider?.name ?? pkg.projectId, 'INSTALLED', allowed ? 'OK' : 'DISALLOWED', install.installedBy, null, install.createdAt]);
  }
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: damagedNotices(context), columns: ['name', 'source_project', 'type', 'status', 'by', 'comment', 'created_at'], rows,
  };
  return { result, project: project.name };
}

export async function describePackageGoverned(context: StatementContext, statement: DescribePackageStatement): Promise<HandlerOutcome> {
  const current = await context.project(null);
  if (statement.project === null || statement.project === current.name) return describeProvided(context, statement, current);
  return describeInstalled(context, statement, current, { project: statement.project, name: statement.name });
}

/** DESC PACKAGE k: the provider's view (objects, allowed projects, where it is installed). */
async function describeProvided(context: StatementContext, statement: DescribePackageStatement, project: ProjectRecord): Promise<HandlerOutcome> {
  const qualified = `${project.name}.${statement.name}`;
  context.require(managePackages(context, 'lakefn:DescribePackage', project, statement.name), project.name);
  const packages = context.session.packages;
  const pkg = await packages.package(project.id, statement.name);
  if (pkg === undefined) throw noSuchPackage(qualified);
  const rows: TableCell[][] = [packageRow(context, pkg, qualified)];
  rows.push(...(await functionRows(context, pkg)));
  for (const allow of await packages.allowedOf(pkg.id)) {
    const consumer = await context.session.governance.projectById(allow.projectId);
    rows.push(['allowed_project', consumer?.name ?? allow.projectId, `label ${allow.label ?? DEFAULT_LABEL} (allowed by ${allow.allowedBy})`, allow.createdAt]);
  }
  for (const install of await packages.installsOf(pkg.id)) {
    const consumer = await context.session.governance.projectById(install.projectId);
    const allowed = (await packages.allowed(pkg.id, install.projectId)) !== undefined;
    rows.push(['installed_in', consumer?.name ?? install.projectId, `installed by ${install.installedBy}${allowed ? '' : '; DISALLOWED: shares nothing there'}`, install.createdAt]);
  }
  return { result: table(context, statement, rows), project: project.name, package: { package: qualified, provider_project: project.name } };
}

/** DESC PACKAGE p.k in the consumer project: what it shares, whether it is still allowed, who holds READ. */
async function describeInstalled(context: StatementContext, statement: DescribePackageStatement, consumer: ProjectRecord, reference: ProviderPackageReference): Promise<HandlerOutcome> {
  const qualified = `${reference.project}.${reference.name}`;
  const { pkg, install } = await installedPackage(context, consumer, reference);
  const fields = { package: qualified, provider_project: reference.project, consumer_project: consumer.name };
  context.require({ action: 'lakefn:DescribePackage', resource: packageResource(reference.project, reference.name), privilege: await ownerOrReader(context, consumer, install, qualified) }, consumer.name);
  if (pkg === undefined || install === undefined) throw notInstalled(qualified, consumer.name);
  const allow = await context.session.packages.allowed(pkg.id, consumer.id);
  const rows: TableCell[][] = [packageRow(context, pkg, qualified)];
  const status = allow === undefined ? '; DISALLOWED by the provider: shares nothing' : `; allowed label ${allow.label ?? DEFAULT_LABEL}`;
  rows.push(['installed_in', consumer.name, `installed by ${install.installedBy}${status}`, install.createdAt]);
  rows.push(...(await functionRows(context, pkg, allow?.label ?? DEFAULT_LABEL)));
  for (const grant of await context.session.packages.grantsOn(install.id)) rows.push(['read_grant', context.model.describe(grant.granteeId), `READ (granted by ${grant.grantedBy})`, grant.createdAt]);
  return { result: table(context, statement, rows), project: consumer.name, package: fields };
}

export async function packageInstallationGoverned(context: StatementContext, statement: PackageInstallationStatement): Promise<HandlerOutcome> {
  const installing = statement.kind === 'install-package';
  const consumer = await context.project(null);
  const reference = statement.package;
  const qualified = `${reference.project}.${reference.name}`;
  context.require({
    action: installing ? 'lakefn:InstallPackage' : 'lakefn:UninstallPackage',
    resource: packageResource(reference.project, reference.name),
    privilege: { kind: 'object', object: context.projectObject(consumer), accepted: [], ownership: true },
  }, consumer.name, 'always');
  const fields = { package: qualified, provider_project: reference.project, consumer_project: consumer.name };
  if (reference.project === consumer.name) throw new LakefnError('E_INVALID_ARGUMENT', `package '${qualified}' belongs to project ${consumer.name}: a project does not install its own packages`);
  const packages = context.session.packages;
  const { provider, pkg, install } = await installedPackage(context, consumer, reference);
  if (!installing) {
    if (install === undefined) throw notInstalled(qualified, consumer.name);
    const holders = (await packages.grantsOn(install.id)).map((grant) => context.model.describe(grant.granteeId));
    await packages.deleteInstall(install.id);
    const notices = holders.length === 0 ? [] : [`READ on it was revoked from ${holders.join(', ')}; calls through it stop at their next batch`];
    return change(statement, consumer, fields, 'uninstalled', `package '${qualified}' uninstalled from project ${consumer.name}`, notices);
  }
  // a package that does not exist and one this project may not install look the same: no existence oracle
  const allowed = pkg === undefined ? undefined : await packages.allowed(pkg.id, consumer.id);
  if (provider === undefined || pkg === undefined || allowed === undefined) {
    throw new LakefnError(
      'E_PACKAGE_NOT_ALLOWED',
      `package '${qualified}' does not exist, or project ${consumer.name} is not allowed to install it: the owner of project ${reference.project} allows it with ` +
        `ALLOW PROJECT ${consumer.name} TO INSTALL PACKAGE ${reference.name}. Nothing was installed`,
      { data: { package: qualified, project: consumer.name } },
    );
  }
  if (install !== undefined) {
    return change(statement, consumer, fields, 'installed', `package '${qualified}' is installed in project ${consumer.name}`, [`package '${qualified}' is already installed in project ${consumer.name}; unchanged`]);
  }
  const count = await packages.countInstalls(consumer.id, provider.id);
  if (count >= PACKAGE_LIMITS.installsPerProviderPerConsumer) {
    throw new LakefnError(
      'E_PACKAGE_LIMIT',
      `project ${consumer.name} already has ${count} packages of project ${provider.name} installed, the limit of ${PACKAGE_LIMITS.installsPerProviderPerConsumer} packages ` +
        `installed from one project into another (MaxCompute's limit); package '${qualified}' was not installed. UNINSTALL one first, or ask the provider to share its functions in fewer packages`,
      { data: { limit: 'installs_per_provider_per_consumer', maximum: PACKAGE_LIMITS.installsPerProviderPerConsumer, package: qualified, project: consumer.name } },
    );
  }
  await packages.insertInstall({ id: randomUUID(), packageId: pkg.id, projectId: consumer.id, installedBy: context.principal.name, createdAt: new Date().toISOString() });
  const label = allowed.label === null ? '' : ` (label ${allowed.label})`;
  const notices = [`grant READ ON PACKAGE ${qualified} TO USER|ROLE … so that they may call its functions as ${reference.project}.<function>`];
  return change(statement, consumer, fields, 'installed', `package '${qualified}' installed in project ${consumer.name}${label}`, notices);
}

export async function packageReadGrantGoverned(context: StatementContext, statement: PackageReadGrantStatement): Promise<HandlerOutcome> {
  const granting = statement.kind === 'grant-package-read';
  const consumer = await context.project(null);
  const reference = statement.package;
  const qualified = `${reference.project}.${reference.name}`;
  const grantee = context.principalNamed(statement.grantee);
  context.require({
    action: granting ? 'lakefn:Grant' : 'lakefn:Revoke',
    resource: packageResource(reference.project, reference.name),
    privilege: { kind: 'object', object: context.projectObject(consumer), accepted: [], ownership: true },
  }, consumer.name, 'always');
  const fields = { package: qualified, provider_project: reference.project, consumer_project: consumer.name };
  const { install } = await installedPackage(context, consumer, reference);
  if (install === undefined) throw notInstalled(qualified, consumer.name);
  const packages = context.session.packages;
  const subject = `${grantee.kind} ${grantee.name}`;
  const held = (await packages.grantsOn(install.id)).some((grant) => grant.granteeId === grantee.id);
  if (granting) {
    if (held) return change(statement, consumer, fields, 'granted', `${subject} holds READ on package ${qualified}`, [`${subject} already holds READ on package ${qualified} in project ${consumer.name}; unchanged`]);
    await packages.insertGrant({ installId: install.id, granteeId: grantee.id, grantedBy: context.principal.name, createdAt: new Date().toISOString() });
    return change(statement, consumer, fields, 'granted', `granted READ on package ${qualified} to ${subject} (in project ${consumer.name}: it calls the package's functions as ${reference.project}.<function>)`, []);
  }
  if (!held) return change(statement, consumer, fields, 'revoked', `${subject} holds no READ on package ${qualified}`, [`${subject} holds no READ on package ${qualified} in project ${consumer.name}; nothing was revoked`]);
  await packages.deleteGrant(install.id, grantee.id);
  return change(statement, consumer, fields, 'revoked', `revoked READ on package ${qualified} from ${subject}; its calls through the package stop at their next batch`, []);
}

/** The provider project, its package and the installation in `consumer` (each undefined when missing). */
export async function installedPackage(context: StatementContext, consumer: ProjectRecord, reference: ProviderPackageReference): Promise<{ provider?: ProjectRecord; pkg?: PackageRecord; install?: PackageInstallRecord }> {
  // the provider project is looked up by name without the visibility rule: consumers do not see the provider's project
  const provider = await context.session.governance.project(reference.project);
  if (provider === undefined) return {};
  const pkg = await context.session.packages.package(provider.id, reference.name);
  if (pkg === undefined) return { provider };
  const install = await context.session.packages.install(pkg.id, consumer.id);
  return install === undefined ? { provider, pkg } : { provider, pkg, install };
}

/** The provider-side request: the data layer asks for OWNERSHIP of the package's project (admin passes through its managed data policy). */
export function managePackages(context: StatementContext, action: GovernedRequest['action'], project: ProjectRecord, name: string): GovernedRequest {
  return { action, resource: packageResource(project.name, name), privilege: { kind: 'object', object: context.projectObject(project), accepted: [], ownership: true } };
}

function provided(project: ProjectRecord, name: string): PackageAuditFields {
  return { package: `${project.name}.${name}`, provider_project: project.name };
}

function managesProject(context: StatementContext, project: ProjectRecord): boolean {
  const principal = context.principal;
  return principal.admin || principal.auditor || principal.ids.has(project.ownerId);
}

async function holdsRead(context: StatementContext, install: PackageInstallRecord): Promise<boolean> {
  return (await context.session.packages.grantsOn(install.id)).some((grant) => context.principal.ids.has(grant.granteeId));
}

/**
 * Who may look at an installed package from the consumer side (DESC PACKAGE p.k, SHOW GRANTS ON PACKAGE p.k): the
 * installing project's owner, or a holder of READ on the installation (as for an object one holds a privilege on).
 */
export async function ownerOrReader(context: StatementContext, consumer: ProjectRecord, install: PackageInstallRecord | undefined, qualified: string): Promise<PrivilegeQuestion> {
  return {
    kind: 'any',
    alternatives: [
      { kind: 'object', object: context.projectObject(consumer), accepted: [], ownership: true },
      ...(install !== undefined && (await holdsRead(context, install)) ? [{ kind: 'held' as const, description: `READ on package ${qualified} installed in project ${consumer.name}` }] : []),
    ],
  };
}

function packageRow(context: StatementContext, pkg: PackageRecord, qualified: string): TableCell[] {
  return ['package', qualified, `owner: ${context.model.describe(pkg.ownerId)}${pkg.comment === null ? '' : `; comment: ${pkg.comment}`}`, pkg.createdAt];
}

/**
 * One row per shared function: its privileges and sensitivity label (MaxCompute's DESC PACKAGE lists both). In a
 * consumer project (`allowedLabel` given) a function its label keeps out says so.
 */
async function functionRows(context: StatementContext, pkg: PackageRecord, allowedLabel?: number): Promise<TableCell[][]> {
  const rows: TableCell[][] = [];
  for (const object of await context.session.packages.objectsOf(pkg.id)) {
    const name = await functionName(context, object.functionId);
    const stored = await context.session.labels.functionLabel(object.functionId);
    const label = labelValue(stored);
    let detail = `${object.privileges.join(', ')}; label ${label ?? '? (its label row fails its integrity check: reached through no package)'}`;
    if (allowedLabel !== undefined && label !== null && label > allowedLabel) detail += `; above label ${allowedLabel} this project is allowed: not reachable`;
    rows.push(['function', name, detail, object.createdAt]);
  }
  return rows;
}

/** `pii (label 3)` for each function of the package labelled above `label` (a damaged label counts: it reaches nothing). */
async function labelledAbove(context: StatementContext, pkg: PackageRecord, label: number): Promise<string[]> {
  const found: string[] = [];
  for (const object of await context.session.packages.objectsOf(pkg.id)) {
    const stored = await context.session.labels.functionLabel(object.functionId);
    const own = labelValue(stored);
    if (own === null || own > label) found.push(`${await functionName(context, object.functionId)} (label ${own ?? '?'})`);
  }
  return found;
}

async function functionNames(context: StatementContext, packageId: string): Promise<string[]> {
  const names: string[] = [];
  for (const object of await context.session.packages.objectsOf(packageId)) names.push(await functionName(context, object.functionId));
  return names;
}

/** A function's name by id; a row that fails its integrity check is named by its id (DESC still describes the rest). */
async function functionName(context: StatementContext, id: string): Promise<string> {
  try {
    return (await context.session.placedFunctionById(id))?.record.name ?? `${id} (dropped)`;
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return `${id} (fails its integrity check)`;
    throw error;
  }
}

async function projectNames(context: StatementContext, ids: readonly string[]): Promise<string[]> {
  const names: string[] = [];
  for (const id of ids) names.push((await context.session.governance.projectById(id))?.name ?? id);
  return names.sort();
}

function table(context: StatementContext, statement: DescribePackageStatement, rows: readonly TableCell[][]): TableResult {
  return { kind: 'table', statement: statement.kind, position: statement.position, notices: damagedNotices(context), columns: ['section', 'name', 'detail', 'since'], rows };
}

function damagedNotices(context: StatementContext): string[] {
  const damaged = context.session.packages.damaged;
  if (damaged.length === 0) return [];
  return [`${damaged.length} package row(s) failed their integrity check and share nothing: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
}

export function noSuchPackage(qualified: string): LakefnError {
  return new LakefnError('E_NO_SUCH_PACKAGE', `package '${qualified}' does not exist or not authorized (SHOW PACKAGES lists those you can see)`, { data: { package: qualified } });
}

export function notInstalled(qualified: string, project: string): LakefnError {
  return new LakefnError('E_NO_SUCH_PACKAGE', `package '${qualified}' is not installed in project ${project} (INSTALL PACKAGE ${qualified} first; SHOW PACKAGES lists what is installed)`, {
    data: { package: qualified, project },
  });
}

function change(
  statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] },
  project: ProjectRecord,
  fields: PackageAuditFields,
  outcome: ChangeResult['outcome'],
  message: string,
  notices: readonly string[],
): HandlerOutcome {
  return { result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object: 'package', name: fields.package, outcome, message }, project: project.name, package: fields };
}
