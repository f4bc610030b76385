import { DEFAULT_LABEL } from '../spec/package-records.ts';
import type { SetLabelStatement } from '../sql/statement.ts';
import type { CatalogReadSession } from '../store/catalog-store.ts';
import { labelValue } from '../store/sql-label-session.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { functionResource } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * SET LABEL n TO FUNCTION f (MaxCompute's label security, as it applies to packages): the function's sensitivity label,
 * set by the owner of the function's project or `admin` (the same authority that decides what its packages share). A
 * consumer project allowed a package USING LABEL m reaches only the package's functions labelled at most m; raising a
 * label above a consumer's stops that consumer's calls at their next batch (the change moves the catalog version).
 */
export async function setLabelGoverned(context: StatementContext, statement: SetLabelStatement): Promise<HandlerOutcome> {
  const fn = await context.function(statement.name, statement.project, 'lakefn:SetLabel');
  const project = fn.project;
  const name = fn.placed.record.name;
  context.require({
    action: 'lakefn:SetLabel',
    resource: functionResource(project.name, name),
    context: { 'lakefn:FunctionName': name },
    privilege: { kind: 'object', object: context.projectObject(project), accepted: [], ownership: true },
  }, project.name, 'always');
  const labels = context.session.labels;
  const stored = await labels.functionLabel(fn.placed.record.id);
  const previous = labelValue(stored);
  const display = fn.secured.displayName;
  const result = (message: string, notices: readonly string[]): HandlerOutcome => ({
    result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object: 'function', name: display, outcome: 'set', message },
    project: project.name,
    before: { sensitivity_label: previous },
  });
  if (previous === statement.label && stored.state === 'set') {
    return result(`function ${display} has sensitivity label ${statement.label}`, [`function ${display} already has sensitivity label ${statement.label}; unchanged`]);
  }
  await labels.putFunctionLabel({ functionId: fn.placed.record.id, label: statement.label, setBy: context.principal.name, createdAt: new Date().toISOString() });
  const stopped = await consumersBelow(context.session, fn.placed.record.id, statement.label);
  const notices = stopped.length === 0
    ? []
    : [`${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} allowed a lower label: calls of ${display} from there stop at their next batch (ALLOW PROJECT … TO INSTALL PACKAGE … USING LABEL ${statement.label} lets one in again)`];
  const from = previous === null ? 'a label row that failed its integrity check' : String(previous);
  return result(`sensitivity label of function ${display} set to ${statement.label} (was ${from})`, notices);
}

/** `project analytics (package shared_udfs.k, USING LABEL 1)` for each consumer allowed a label below `label`. */
async function consumersBelow(session: CatalogReadSession, functionId: string, label: number): Promise<string[]> {
  const found: string[] = [];
  for (const object of await session.packages.objectsSharing(functionId)) {
    const pkg = await session.packages.packageById(object.packageId);
    if (pkg === undefined) continue;
    const provider = await session.governance.projectById(pkg.projectId);
    for (const allow of await session.packages.allowedOf(pkg.id)) {
      const allowed = allow.label ?? DEFAULT_LABEL;
      if (allowed >= label) continue;
      const consumer = await session.governance.projectById(allow.projectId);
      found.push(`project ${consumer?.name ?? allow.projectId} (package ${provider?.name ?? pkg.projectId}.${pkg.name}, USING LABEL ${allowed})`);
    }
  }
  return found;
}
