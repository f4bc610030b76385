import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import { DEFAULT_PROJECT_ID, type ProjectRecord } from '../spec/governance-records.ts';
import type { ChangeResult, TableResult } from '../sql/execute-result.ts';
import type { CreateProjectStatement, DropProjectStatement, ShowGovernanceStatement, UseProjectStatement } from '../sql/statement.ts';
import { nameMatches, checkLikePattern } from '../store/like-pattern.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { projectResource } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/** CREATE / DROP / SHOW PROJECTS and USE PROJECT. */

export async function createProjectGoverned(context: StatementContext, statement: CreateProjectStatement): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:CreateProject', resource: projectResource(statement.name), privilege: { kind: 'administrators' } }, statement.name);
  const governance = context.session.governance;
  const existing = await governance.project(statement.name);
  if (existing !== undefined) {
    if (statement.ifNotExists) return change(statement, statement.name, 'existed', `project '${statement.name}' already exists (unchanged)`, [`project '${statement.name}' already exists; IF NOT EXISTS left it unchanged`]);
    throw new LakefnError('E_PROJECT_EXISTS', `project '${statement.name}' already exists (SHOW PROJECTS lists them)`, { data: { project: statement.name } });
  }
  // `p.f` names function f of project p when p exists: a project may not take the name of a function's schema
  const shadowed = (await context.session.placedFunctions(null, `${statement.name}.%`)).filter((placed) => placed.record.name.startsWith(`${statement.name}.`));
  if (shadowed.length > 0) {
    throw new LakefnError(
      'E_INVALID_NAME',
      `project name '${statement.name}' is the schema of ${shadowed.length} function(s) (${shadowed.slice(0, 5).map((placed) => placed.record.name).join(', ')}): ` +
        `'${statement.name}.x' would then name project ${statement.name} instead of them. Choose another name`,
    );
  }
  const record: ProjectRecord = { id: randomUUID(), name: statement.name, ownerId: context.creatorId, comment: statement.comment, createdAt: new Date().toISOString() };
  await governance.insertProject(record);
  return change(statement, statement.name, 'created', `project '${statement.name}' created (owner: ${context.model.describe(record.ownerId)})`, []);
}

export async function dropProjectGoverned(context: StatementContext, statement: DropProjectStatement): Promise<HandlerOutcome> {
  let project: ProjectRecord;
  try {
    project = await context.project(statement.name);
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_PROJECT' && statement.ifExists) {
      return change(statement, statement.name, 'not-found', `project '${statement.name}' not found`, [`project '${statement.name}' does not exist; IF EXISTS made this a no-op`]);
    }
    throw error;
  }
  context.require({ action: 'lakefn:DropProject', resource: projectResource(project.name), privilege: { kind: 'object', object: context.projectObject(project), accepted: [], ownership: true } }, project.name);
  if (project.id === DEFAULT_PROJECT_ID) throw new LakefnError('E_INVALID_ARGUMENT', "project 'default' cannot be dropped: it is where names resolve when no project is chosen");
  const notices: string[] = [];
  const contents = await context.session.objectNamesIn(project.id);
  const packages = (await context.session.packages.packagesIn(project.id)).map((pkg) => pkg.name);
  if (!statement.cascade && contents.connections.length + contents.functions.length + packages.length > 0) {
    throw new LakefnError(
      'E_PROJECT_NOT_EMPTY',
      `project '${project.name}' holds ${contents.connections.length} connection(s) and ${contents.functions.length} function(s)` +
        `${packages.length === 0 ? '' : ` and ${packages.length} package(s)`}` +
        ` (${[...contents.connections, ...contents.functions, ...packages].slice(0, 10).join(', ')}); drop them first, or DROP PROJECT ${project.name} CASCADE`,
      { data: { ...contents, ...(packages.length === 0 ? {} : { packages }) } },
    );
  }
  if (statement.cascade) {
    const dropped = await context.session.deleteObjectsIn(project.id);
    // functions of other projects that used its connections are named with their project
    const functions: string[] = [];
    for (const name of dropped.functions) {
      const colon = name.indexOf(':');
      const other = colon < 0 ? undefined : await context.session.governance.projectById(name.slice(0, colon));
      functions.push(colon < 0 ? name : `${other?.name ?? name.slice(0, colon)}.${name.slice(colon + 1)}`);
    }
    if (dropped.connections.length + functions.length > 0) {
      notices.push(`CASCADE dropped ${dropped.connections.length} connection(s) and ${functions.length} function(s): ${[...dropped.connections, ...functions].join(', ')}`);
    }
  }
  // its packages (with their installations elsewhere), the packages installed in it, the permissions naming it
  const droppedPackages = await context.session.packages.deleteProject(project.id);
  if (droppedPackages.length > 0) notices.push(`CASCADE dropped ${droppedPackages.length} package(s): ${droppedPackages.join(', ')}; calls through them stop at their next batch`);
  await context.session.governance.deleteProject(project.id);
  const outcome = change(statement, project.name, 'dropped', `project '${project.name}' dropped`, notices);
  return { ...outcome, before: { project: project.name, owner: context.model.describe(project.ownerId), connections: contents.connections, functions: contents.functions } };
}

export async function showProjectsGoverned(context: StatementContext, statement: ShowGovernanceStatement<'show-projects'>): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:ListProjects' }, null);
  if (statement.like !== null) checkLikePattern(statement.like);
  const rows = [];
  for (const project of await context.session.governance.projects()) {
    if (!nameMatches(project.name, statement.like) || !(await context.projectVisible(project))) continue;
    rows.push([project.name, context.model.describe(project.ownerId), project.comment, project.createdAt]);
  }
  const result: TableResult = { kind: 'table', statement: statement.kind, position: statement.position, notices: [], columns: ['name', 'owner', 'comment', 'created_at'], rows };
  return { result, project: null };
}

export async function useProjectGoverned(context: StatementContext, statement: UseProjectStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.name);
  context.require({ action: 'lakefn:UseProject', resource: projectResource(project.name) }, project.name);
  return change(statement, project.name, 'used', `using project '${project.name}'`, []);
}

function change(
  statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] },
  project: string,
  outcome: ChangeResult['outcome'],
  message: string,
  notices: readonly string[],
): HandlerOutcome {
  return { result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object: 'project', name: project, outcome, message }, project };
}
