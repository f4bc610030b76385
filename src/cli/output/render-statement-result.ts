import type { ConnectionDescription, FunctionDescription, PolicyDescription, StatementResult } from '../../sql/execute-result.ts';
import { formatKeyValues, type KeyValueEntry } from './format-key-values.ts';
import { formatTable } from './format-table.ts';
import { toJson } from './write-json.ts';

/** Human-readable text of one statement result (stdout). Notices are separate: see `noticesOf`. */
export function renderStatementResult(result: StatementResult): string {
  switch (result.kind) {
    case 'table':
      return `${formatTable(result.columns, result.rows)}(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})\n`;
    case 'connection-description':
      return renderConnectionDescription(result.description);
    case 'function-description':
      return renderFunctionDescription(result.description);
    case 'change':
      return result.token === undefined ? `${result.message}\n` : `${result.message}\ntoken: ${result.token.token}\n`;
    case 'policy-description':
      return renderPolicyDescription(result.description);
    case 'authorization-explanation':
      return `${result.lines.join('\n')}\n`;
  }
}

export function renderPolicyDescription(description: PolicyDescription): string {
  const entries: KeyValueEntry[] = [
    ['name', description.name],
    ['managed', description.managed ? 'YES' : 'NO'],
    ['layer', description.layer],
    ['comment', description.comment],
    ['owner', description.owner],
    ['created_at', description.created_at],
    ['updated_at', description.updated_at],
    ['attached_to', description.attached_to.length === 0 ? '(nothing)' : description.attached_to.join(', ')],
    ['boundary_of', description.boundary_of.length === 0 ? '(nothing)' : description.boundary_of.join(', ')],
    ['document', toJson(description.document), 'block'],
  ];
  return formatKeyValues(entries);
}

/** DESC API CONNECTION as aligned key/value lines, then the two policies as pretty-printed JSON. */
export function renderConnectionDescription(description: ConnectionDescription): string {
  const entries: KeyValueEntry[] = [
    ['name', description.name],
    ['provider', description.provider],
    ['region', description.region],
    ['role_arn', description.role_arn],
    ['namespace', description.namespace],
    ['code_bucket', description.code_bucket],
    ['external_id', description.external_id],
    ['status', description.status],
    ['status_detail', description.status_detail],
    ['comment', description.comment],
    ['created_at', description.created_at],
    ['updated_at', description.updated_at],
    ['id', description.id],
    ['version', description.version],
    ...Object.entries(description.endpoints).map(([api, origin]): KeyValueEntry => [`${api}_endpoint`, endpointText(description, api, origin)]),
    ['broker_account_id', description.broker_account_id],
    ['trust_policy', toJson(description.trust_policy), 'block'],
    ['permission_policy', toJson(description.permission_policy), 'block'],
  ];
  return formatKeyValues(entries);
}

/** The origin, and where an override came from. */
function endpointText(description: ConnectionDescription, api: string, origin: string): string {
  const source = description.endpoint_overrides[api];
  return source === undefined ? origin : `${origin} (override: ${source})`;
}

export function renderFunctionDescription(description: FunctionDescription): string {
  const signature = description.arguments.map((argument) => `${argument.name} ${argument.type}`).join(', ');
  const entries: KeyValueEntry[] = [
    ['name', description.name],
    ['arguments', signature],
    ['returns', description.returns],
    ['connection', description.connection],
    ['cloud_function', description.cloud_function],
    ['qualifier', description.qualifier],
    ...Object.entries(description.properties).map(([key, value]): KeyValueEntry => [key, typeof value === 'object' ? toJson(value) : value]),
    ['comment', description.comment],
    ['created_at', description.created_at],
    ['id', description.id],
    ...(description.sensitivity_label === undefined ? [] : [['sensitivity_label', description.sensitivity_label ?? 'fails its integrity check'] as KeyValueEntry]),
  ];
  return formatKeyValues(entries);
}

/** `notice: …` lines for stderr. */
export function noticesOf(result: StatementResult): string {
  return result.notices.map((notice) => `notice: ${notice}\n`).join('');
}
