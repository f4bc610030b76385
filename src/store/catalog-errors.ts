import { LakefnError } from '../errors/index.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';

/** The catalog's "what is wrong and what to do" messages, shared by both stores and the executor. */

export function noSuchConnection(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_CONNECTION', `connection '${name}' does not exist or not authorized (SHOW API CONNECTIONS lists those you can see)`, {
    location: { connection: name },
  });
}

export function connectionExists(name: string): LakefnError {
  return new LakefnError(
    'E_CONNECTION_EXISTS',
    `connection '${name}' already exists; use CREATE OR REPLACE to replace it (it gets a new external ID) or IF NOT EXISTS to keep it`,
    { location: { connection: name } },
  );
}

export function connectionInUse(name: string, functionNames: readonly string[]): LakefnError {
  return new LakefnError(
    'E_CONNECTION_IN_USE',
    `connection '${name}' is used by ${functionNames.length} function(s): ${listNames(functionNames)}; drop them first, or drop the connection with CASCADE to drop them too`,
    { location: { connection: name }, data: { functions: [...functionNames] } },
  );
}

/**
 * CREATE OR REPLACE of a connection that its functions would no longer fit: a different provider (each function
 * would call another cloud's function of the same name) or a cloud function the new provider's rules refuse.
 */
export function replacementBreaksFunctions(name: string, reason: string, functionNames: readonly string[]): LakefnError {
  return new LakefnError(
    'E_CONNECTION_IN_USE',
    `replacing connection '${name}' ${reason}, and ${functionNames.length} function(s) use it: ${listNames(functionNames)}; ` +
      `nothing was changed. Drop or re-create them, or add CASCADE (CREATE OR REPLACE API CONNECTION … CASCADE) to drop them with the replacement`,
    { location: { connection: name }, data: { functions: [...functionNames] } },
  );
}

/** ALTER … SET PROVIDER while functions use the connection: they would silently call another cloud. */
export function providerChangeInUse(name: string, functionNames: readonly string[]): LakefnError {
  return new LakefnError(
    'E_CONNECTION_IN_USE',
    `connection '${name}' is used by ${functionNames.length} function(s): ${listNames(functionNames)}; changing its provider would make them ` +
      `call another cloud's functions. Nothing was changed: drop them first, or use CREATE OR REPLACE API CONNECTION ${quoteIdentifier(name)} … CASCADE`,
    { location: { connection: name }, data: { functions: [...functionNames] } },
  );
}

export function connectionConflict(name: string, expectedVersion: number, actualVersion: number): LakefnError {
  return new LakefnError(
    'E_STORE_CONFLICT',
    `connection '${name}' was changed concurrently (expected version ${expectedVersion}, found ${actualVersion}); retry the statement`,
    { location: { connection: name } },
  );
}

export function noSuchFunction(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_FUNCTION', `function '${name}' does not exist or not authorized (SHOW EXTERNAL FUNCTIONS lists those you can see)`, {
    location: { function: name },
  });
}

export function functionExists(name: string): LakefnError {
  return new LakefnError(
    'E_FUNCTION_EXISTS',
    `function '${name}' already exists; use CREATE OR REPLACE EXTERNAL FUNCTION to replace it or IF NOT EXISTS to keep it`,
    { location: { function: name } },
  );
}

export function existsNotice(kind: 'connection' | 'function', name: string): string {
  return `${kind} '${name}' already exists; IF NOT EXISTS left it unchanged`;
}

export function missingNotice(kind: 'connection' | 'function', name: string): string {
  return `${kind} '${name}' does not exist; IF EXISTS made this a no-op`;
}

/** Why a row read back is not trusted. */
export type TamperReason =
  | { readonly kind: 'mac' }
  | { readonly kind: 'key'; readonly rowKeyId: string; readonly keyId: string; readonly keyFile: string }
  /** The row still carries the MAC of an older version: it failed verification when a migration re-signed the catalog. */
  | { readonly kind: 'upgrade'; readonly version: number }
  | { readonly kind: 'mac-version'; readonly version: string }
  | { readonly kind: 'invalid'; readonly detail: string };

const SHARED_KEY_HINT =
  'All lakefn nodes sharing a PostgreSQL catalog must share one store key: copy the key file of the node that created ' +
  'the connections and point LAKEFN_STORE_KEY_FILE at it on every node (default: $LAKEFN_HOME/store.key); after ' +
  '`lakefn store rotate-key`, copy the new key file to every node';

/** What each kind of signed row is called in messages. */
const ROW_KINDS = {
  connection: 'connection',
  function: 'function',
  principal: 'user or role',
  project: 'project',
  'role-grant': 'role membership',
  grant: 'grant',
  'api-token': 'API token row',
  'oidc-subject': 'OIDC subject binding',
  policy: 'policy',
  'policy-attachment': 'policy attachment',
  boundary: 'boundary',
  'project-setting': 'project setting',
  package: 'package',
  'package-object': 'package object',
  'package-allow': 'package install permission',
  'package-install': 'package installation',
  'package-grant': 'package READ grant',
  'function-label': 'function sensitivity label',
} as const;

/** E_STORE_TAMPERED naming the object, what failed, and what to do; lakefn never uses such a row. */
export function tamperedRow(kind: keyof typeof ROW_KINDS, name: string, location: string, reason: TamperReason): LakefnError {
  const described = ROW_KINDS[kind];
  const named = kind === 'connection' || kind === 'function' || kind === 'principal' || kind === 'project' || kind === 'policy' || kind === 'package';
  const object = `${described} ${named ? `'${name}'` : name} in ${location}`;
  const recreate = kind === 'connection' || kind === 'function'
    ? `lakefn will not use it (nothing was sent to any cloud). Inspect the row; if it is wrong, DROP the ${kind} and create it again`
    : `lakefn will not use it (it grants nothing and lists as damaged). Inspect the row; if it is wrong, remove it with the matching DROP, REVOKE, DETACH or UNSET and create it again`;
  let message: string;
  switch (reason.kind) {
    case 'mac':
      message = `${object} failed its integrity check: a column was changed outside lakefn. ${recreate}`;
      break;
    case 'key':
      message = `${object} is signed with store key ${reason.rowKeyId}, but this process has key ${reason.keyId} (${reason.keyFile}), ` +
        `so its integrity cannot be checked and lakefn will not use it. ${SHARED_KEY_HINT}`;
      break;
    case 'upgrade':
      message = `${object} failed its integrity check (MAC v${reason.version}) when the catalog was upgraded to MAC v${reason.version + 1}, so it was not re-signed: ` +
        `${reason.version === 1 ? 'its id, provider, role_arn or external_id' : 'one of its columns'} had been changed outside lakefn. ${recreate}`;
      break;
    case 'mac-version':
      message = `${object} is signed with MAC version ${reason.version}, which this lakefn does not accept. ${recreate}`;
      break;
    case 'invalid':
      message = `${object} holds values that CREATE refuses (${reason.detail}): it was changed outside lakefn, or written under ` +
        `rules this lakefn no longer accepts. ${recreate}`;
      break;
  }
  const place = kind === 'connection' ? { location: { connection: name } } : kind === 'function' ? { location: { function: name } } : {};
  return new LakefnError('E_STORE_TAMPERED', message, place);
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((name) => `'${name}'`).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
