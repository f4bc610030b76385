import { permissionPolicy } from '../catalog/permission-policy.ts';
import { trustPolicy } from '../catalog/trust-policy.ts';
import { resolveFunctionEnvelope } from '../codec/api-gateway-envelope.ts';
import { EMPTY_CONFIG, type LakefnConfig, endpointOverride } from '../config/lakefn-config.ts';
import { requireBrokerAccountId } from '../credentials/broker-identity.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { resolveConnectionEndpoints } from '../provider-utils/connection-endpoints.ts';
import { providerDefinition } from '../registry/providers.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { JsonValue, PolicyDocument } from '../spec/policy-document.ts';
import type { ProviderCallPhase, ProviderDefinition } from '../spec/provider-definition.ts';
import { formatSqlType } from '../spec/sql-type.ts';
import type { SourcePosition, StatementKind } from './statement.ts';

/** What every statement result carries. */
interface ResultBase {
  readonly statement: StatementKind;
  readonly position: SourcePosition;
  /** Sentences the user must see (IF NOT EXISTS no-ops, "update the trust policy", …). */
  readonly notices: readonly string[];
}

/** A table cell: text, a number, or SQL NULL. */
export type TableCell = string | number | null;

/** SHOW …: columns and rows (rendered as an aligned table, or as an array of objects in JSON). */
export interface TableResult extends ResultBase {
  readonly kind: 'table';
  readonly columns: readonly string[];
  readonly rows: readonly (readonly TableCell[])[];
}

/** DESC API CONNECTION: every field plus the two ready-to-paste policies. JSON keys are exactly these. */
export interface ConnectionDescription {
  readonly name: string;
  readonly provider: string;
  readonly region: string;
  readonly role_arn: string;
  readonly namespace: string;
  readonly code_bucket: string | null;
  readonly external_id: string;
  readonly status: string;
  readonly status_detail: string | null;
  readonly comment: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly id: string;
  readonly version: number;
  /**
   * The origins lakefn calls for this connection (open exactly these in a firewall): STS, invoke, and any other host
   * the provider calls, by its name (FunctionGraph's `iam`).
   */
  readonly endpoints: { readonly sts: string; readonly invoke: string; readonly [other: string]: string };
  /** Which of them come from an override, and from where (`LAKEFN_AWS_LAMBDA_ENDPOINT`, `config.json endpoints.aws.lambda`). */
  readonly endpoint_overrides: { readonly [endpoint: string]: string };
  /** The broker account of the connection's partition: the principal of the trust policy. */
  readonly broker_account_id: string;
  readonly trust_policy: PolicyDocument;
  readonly permission_policy: PolicyDocument;
}

export interface FunctionDescription {
  readonly name: string;
  readonly arguments: readonly { readonly name: string; readonly type: string }[];
  readonly returns: string;
  readonly connection: string;
  readonly cloud_function: string;
  readonly qualifier: string | null;
  readonly properties: { readonly [key: string]: JsonValue };
  readonly comment: string | null;
  readonly created_at: string;
  readonly id: string;
  /**
   * DESC FUNCTION under governance: the sensitivity label (0–9; 0 when never set) that decides which package consumers
   * reach it; null when its label row fails its integrity check (then no package reaches it).
   */
  readonly sensitivity_label?: number | null;
}

export interface ConnectionDescriptionResult extends ResultBase {
  readonly kind: 'connection-description';
  readonly description: ConnectionDescription;
}

export interface FunctionDescriptionResult extends ResultBase {
  readonly kind: 'function-description';
  readonly description: FunctionDescription;
}

export type ChangeOutcome =
  | 'created' | 'replaced' | 'existed' | 'altered' | 'rotated' | 'validated' | 'dropped' | 'not-found' | 'granted' | 'revoked' | 'transferred' | 'used'
  | 'attached' | 'detached' | 'set' | 'unset' | 'added' | 'removed' | 'allowed' | 'disallowed' | 'installed' | 'uninstalled';

/** What a change statement changed. */
export type ChangeObject =
  | 'connection' | 'function' | 'project' | 'user' | 'role' | 'role-membership' | 'privilege' | 'ownership' | 'token' | 'policy' | 'policy-attachment'
  | 'boundary' | 'project-setting' | 'package';

/**
 * What VALIDATE found. INCONCLUSIVE leaves the stored status as it was (the connection in `connection`): the cloud's
 * answer proved nothing (transport error, timeout, throttling, STS 5xx, the broker's own keys rejected).
 */
export interface ValidationOutcome {
  readonly status: ValidationStatus;
  readonly detail: string | null;
}

export type ValidationStatus = 'VERIFIED' | 'FAILED' | 'INSECURE_TRUST_POLICY' | 'INCONCLUSIVE';

const VALIDATION_FAILURE_CODES: Readonly<Record<Exclude<ValidationStatus, 'VERIFIED'>, ErrorCode>> = {
  // step 1 is FAILED only when STS definitely refused it (src/credentials/validate-connection.ts)
  FAILED: 'E_STS_DENIED',
  INSECURE_TRUST_POLICY: 'E_INSECURE_TRUST_POLICY',
  INCONCLUSIVE: 'E_VALIDATION_INCONCLUSIVE',
};

/** The error code of a VALIDATE that did not end VERIFIED (the CLI's exit line, `validation.code` in `--json`). */
export function validationFailureCode(status: ValidationStatus): ErrorCode | null {
  return status === 'VERIFIED' ? null : VALIDATION_FAILURE_CODES[status];
}

/** CREATE / ALTER / ROTATE / VALIDATE / DROP: what happened, and the object as it is now (when it exists). */
export interface ChangeResult extends ResultBase {
  readonly kind: 'change';
  readonly object: ChangeObject;
  readonly name: string;
  readonly outcome: ChangeOutcome;
  /** One line for humans, e.g. `connection 'sales' created`. */
  readonly message: string;
  readonly connection?: ConnectionDescription;
  readonly function?: FunctionDescription;
  /** Functions a DROP … CASCADE removed. */
  readonly droppedFunctions?: readonly string[];
  /** VALIDATE's finding (its status is the stored one unless INCONCLUSIVE). */
  readonly validation?: ValidationOutcome;
  /**
   * ADD TOKEN: the token, shown this once (lakefn stores only its SHA-256). Printed to the caller only: never in the
   * audit record (which keeps the result's other fields) nor in a log.
   */
  readonly token?: IssuedToken;
}

export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly prefix: string;
  readonly user: string;
  readonly created_at: string;
  readonly expires_at: string | null;
}

/** DESC POLICY: the policy, where it is attached and set as a boundary, and its document. */
export interface PolicyDescription {
  readonly name: string;
  /** Built in (LakefnFullAccess, …; read-only) or the customer's own. */
  readonly managed: boolean;
  /** `api` (identity policies and boundaries) or `data` (the coarse managed data policies). */
  readonly layer: 'api' | 'data';
  readonly comment: string | null;
  /** Null for a managed policy. */
  readonly owner: string | null;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  /** `user alice`, `role PUBLIC`, … */
  readonly attached_to: readonly string[];
  /** `project prod`, `role contractors`, … */
  readonly boundary_of: readonly string[];
  readonly document: JsonValue;
}

export interface PolicyDescriptionResult extends ResultBase {
  readonly kind: 'policy-description';
  readonly description: PolicyDescription;
}

/**
 * EXPLAIN AUTHORIZATION: every decision the statement would ask for, in order (the last one denied when it would be
 * refused), as the policy simulator prints it; nothing was run.
 */
export interface AuthorizationExplanationResult extends ResultBase {
  readonly kind: 'authorization-explanation';
  /** The statement explained, as written. */
  readonly explained: string;
  /** Who it was explained for. */
  readonly principal: string;
  readonly allowed: boolean;
  /** The decisions (AuthorizationDecision objects: plain data). */
  readonly decisions: readonly unknown[];
  /** The simulator's text, one line per step (decisions separated by empty lines). */
  readonly lines: readonly string[];
  /** When the statement would fail for another reason than a denial (a missing object, a name taken): that error. */
  readonly wouldFail: { readonly code: string; readonly message: string } | null;
}

/** One executed statement, as data; the CLI and the HTTP admin API render it. */
export type StatementResult =
  | TableResult
  | ConnectionDescriptionResult
  | FunctionDescriptionResult
  | ChangeResult
  | PolicyDescriptionResult
  | AuthorizationExplanationResult;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * DESC data for a connection. The broker account id (for the trust policy) comes from configuration, that of the
 * connection's partition; the endpoints from the provider's rules (a row that cannot make a valid host is
 * E_STORE_TAMPERED) and the overrides in the environment or config.json.
 */
export async function describeConnection(record: ConnectionRecord, environment: Environment, config: LakefnConfig = EMPTY_CONFIG): Promise<ConnectionDescription> {
  const brokerAccountId = requireBrokerAccountId(record, environment);
  const phases: readonly ProviderCallPhase[] = ['sts', 'invoke'];
  const overrides = Object.fromEntries(phases.flatMap((phase) => {
    const override = endpointOverride(record.provider, phase, environment, config);
    return override === undefined ? [] : [[phase, override]];
  })) as Partial<Record<ProviderCallPhase, { readonly url: URL; readonly source: string }>>;
  const definition = providerDefinition(record.provider);
  const endpoints = await resolveConnectionEndpoints(definition, record, { sts: overrides.sts?.url, invoke: overrides.invoke?.url });
  const hosts = await definition.endpoints.hosts(record);
  // an auxiliary host follows the override of the API it goes with
  const auxiliaryOverrides = Object.entries(hosts?.auxiliary ?? {}).flatMap(([name, { via }]) => {
    const override = overrides[via];
    return override === undefined ? [] : [[name, override.source] as const];
  });
  return {
    name: record.name,
    provider: record.provider,
    region: record.region,
    role_arn: record.roleArn,
    namespace: record.namespace,
    code_bucket: record.codeBucket,
    external_id: record.externalId,
    status: record.status,
    status_detail: record.statusDetail,
    comment: record.comment,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    id: record.id,
    version: record.version,
    endpoints: {
      sts: endpoints.sts.origin,
      invoke: endpoints.invoke.origin,
      ...Object.fromEntries(Object.entries(endpoints.auxiliary).map(([name, url]) => [name, url.origin])),
    },
    endpoint_overrides: {
      ...(overrides.sts === undefined ? {} : { sts: overrides.sts.source }),
      ...(overrides.invoke === undefined ? {} : { invoke: overrides.invoke.source }),
      ...Object.fromEntries(auxiliaryOverrides),
    },
    broker_account_id: brokerAccountId,
    trust_policy: trustPolicy(record, brokerAccountId),
    permission_policy: permissionPolicy(record),
  };
}

/**
 * DESC FUNCTION. `provider` (the connection's definition) resolves an `envelope` the function does not set; without it
 * the property shows as set, or absent.
 */
export function describeFunction(record: FunctionRecord, provider?: Pick<ProviderDefinition, 'envelopes'>): FunctionDescription {
  const properties = record.properties;
  const envelope = provider === undefined ? properties.envelope : resolveFunctionEnvelope(properties, provider);
  return {
    name: record.name,
    arguments: record.arguments.map((argument) => ({ name: argument.name, type: formatSqlType(argument.type) })),
    returns: formatSqlType(record.returnType),
    connection: record.connectionName,
    cloud_function: record.cloudFunction,
    qualifier: record.qualifier,
    properties: {
      max_batch_rows: properties.maxBatchRows,
      max_batch_bytes: properties.maxBatchBytes,
      format: properties.format,
      retry: properties.retry,
      on_row_error: properties.onRowError,
      volatility: properties.volatility,
      timeout_ms: properties.timeoutMs,
      max_concurrency: properties.maxConcurrency,
      null_policy: properties.nullPolicy,
      audit_level: properties.auditLevel,
      ...(envelope === undefined ? {} : { envelope }),
    },
    comment: record.comment,
    created_at: record.createdAt,
    id: record.id,
  };
}

export const CONNECTION_COLUMNS = ['name', 'provider', 'region', 'role_arn', 'namespace', 'code_bucket', 'status', 'comment', 'created_at'] as const;

export function connectionRow(record: ConnectionRecord): TableCell[] {
  return [record.name, record.provider, record.region, record.roleArn, record.namespace, record.codeBucket, record.status, record.comment, record.createdAt];
}

export const FUNCTION_COLUMNS = ['name', 'arguments', 'returns', 'connection', 'cloud_function', 'comment', 'created_at'] as const;

export function functionRow(record: FunctionRecord): TableCell[] {
  const signature = record.arguments.map((argument) => `${argument.name} ${formatSqlType(argument.type)}`).join(', ');
  const target = record.qualifier === null ? record.cloudFunction : `${record.cloudFunction}:${record.qualifier}`;
  return [record.name, signature, formatSqlType(record.returnType), record.connectionName, target, record.comment, record.createdAt];
}
