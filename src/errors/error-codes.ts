/**
 * Every stable error code lakefn emits, with whether an operation that failed with it may be retried.
 * This table is the single place where retryability is decided (the "one classifier"): provider tables
 * map vendor errors to these codes, and `LakefnError` reads `retryable` from here.
 */
export const ERROR_CODES = {
  // user input: DDL, CLI flags, catalog validation
  E_SYNTAX: false,
  E_USAGE: false,
  E_INVALID_PROVIDER: false,
  E_INVALID_REGION: false,
  E_INVALID_ROLE_ARN: false,
  E_INVALID_NAMESPACE: false,
  E_INVALID_CODE_BUCKET: false,
  E_INVALID_NAME: false,
  E_INVALID_COMMENT: false,
  E_INVALID_PROPERTY: false,
  E_INVALID_FUNCTION: false,
  E_INVALID_TYPE: false,
  E_UNKNOWN_PROPERTY: false,
  E_EXTERNAL_ID_NOT_SETTABLE: false,
  E_INVALID_ARGUMENT: false,
  // catalog state
  E_CONNECTION_EXISTS: false,
  E_NO_SUCH_CONNECTION: false,
  E_CONNECTION_IN_USE: false,
  E_CONNECTION_NOT_USABLE: false,
  E_FUNCTION_EXISTS: false,
  E_NO_SUCH_FUNCTION: false,
  E_STORE: false,
  E_STORE_TAMPERED: false,
  // the catalog holds signed rows but the store key file is missing (never silently replaced)
  E_STORE_KEY_MISSING: false,
  E_STORE_CONFLICT: true,
  // credentials
  E_STS_DENIED: false,
  // the broker's STS is deactivated in the connection's region (AWS RegionDisabledException): an account setting
  E_STS_REGION_DISABLED: false,
  E_STS_REFRESH: true,
  E_NO_BROKER_CREDENTIALS: false,
  // VALIDATE: a negative probe (no external ID, a random one) was let in: the role trusts lakefn without the external ID
  E_INSECURE_TRUST_POLICY: false,
  // VALIDATE: the cloud's answer proved nothing either way (unreachable, throttled, broker keys rejected); nothing changed
  E_VALIDATION_INCONCLUSIVE: false,
  // provider calls
  E_THROTTLED: true,
  E_PROVIDER_UNAVAILABLE: true,
  E_TRANSPORT: true,
  E_TIMEOUT: true,
  E_AUTH: false,
  // the service refused the request's signature as expired or not yet valid: lakefn's clock is off from the
  // service's by more than its signature window. Adapters correct their clock once per endpoint and retry; this is
  // what remains when the correction did not help (or the offset is beyond what lakefn corrects)
  E_CLOCK_SKEW: false,
  E_FUNCTION_NOT_FOUND: false,
  E_PAYLOAD_TOO_LARGE: false,
  E_PROVIDER_CALL: false,
  E_REMOTE_FUNCTION_ERROR: false,
  // replies and rows
  E_BAD_RESPONSE: false,
  E_ROW_COUNT_MISMATCH: false,
  E_BAD_ROW_INDEX: false,
  E_TYPE_COERCION: false,
  E_ROW_TOO_LARGE: false,
  E_ROW_ERROR: false,
  E_BAD_ROW: false,
  // dispatcher lifecycle
  E_RETRY_EXHAUSTED: false,
  E_DEADLINE_EXCEEDED: false,
  E_CANCELLED: false,
  E_DISPATCHER_CLOSED: false,
  E_DISPATCHER_DESTROYED: false,
  // a closed provider registry, adapter or credential broker was used (the dispatcher has E_DISPATCHER_CLOSED)
  E_CLOSED: false,
  E_INTERNAL: false,
  // a recognised statement form lakefn does not implement yet (e.g. USING ARCHIVE)
  E_NOT_SUPPORTED: false,
  // a SQL query the engine (DuckDB) rejected; when a UDF failed, data.cause_code holds the dispatcher's code
  E_QUERY: false,
  // the function ran but its reply exceeded the provider's response size limit (e.g. SCF
  // ResponseSizeLimitExceeded / status 407): a smaller batch gives a smaller reply, but the batch did execute
  E_RESPONSE_TOO_LARGE: false,
  // governance: the one authorization function refused (names the missing privilege and the object; HTTP 403)
  E_ACCESS_DENIED: false,
  // projects, users and roles (a name the principal may not see is "does not exist or not authorized", the same text)
  E_NO_SUCH_PROJECT: false,
  E_PROJECT_EXISTS: false,
  E_PROJECT_NOT_EMPTY: false,
  E_NO_SUCH_PRINCIPAL: false,
  E_PRINCIPAL_EXISTS: false,
  // a drop refused because the user or role still owns objects (transfer them with GRANT OWNERSHIP first)
  E_PRINCIPAL_IN_USE: false,
  // GRANT ROLE that would make the role graph cyclic (the message names the cycle)
  E_ROLE_CYCLE: false,
  // REVOKE … RESTRICT while grants made on the revoked grant's authority depend on it
  E_DEPENDENT_GRANTS: false,
  // dropping a built-in role, emptying super_administrator, granting the implicit PUBLIC
  E_BUILT_IN_ROLE: false,
  // REVOKE TOKEN naming a token the user does not have
  E_NO_SUCH_TOKEN: false,
  // SET OIDC_SUBJECT naming a subject already bound to another user
  E_OIDC_SUBJECT_IN_USE: false,
  // a `--server` call got an answer that is not lakefn's (wrong URL, a proxy's page)
  E_REMOTE_PROTOCOL: false,
  // policies (Governance II): a document refused at CREATE POLICY (every problem with its JSON path), an unknown policy,
  // a name taken, and DROP POLICY while the policy is attached or set as a boundary (without CASCADE)
  E_INVALID_POLICY: false,
  E_NO_SUCH_POLICY: false,
  E_POLICY_EXISTS: false,
  E_POLICY_IN_USE: false,
  // packages: a package the principal may not see is "does not exist or not authorized", like any object
  E_NO_SUCH_PACKAGE: false,
  E_PACKAGE_EXISTS: false,
  // INSTALL PACKAGE by a project the provider has not allowed (ALLOW PROJECT … TO INSTALL PACKAGE)
  E_PACKAGE_NOT_ALLOWED: false,
  // MaxCompute's limits: 1,000 objects per package, 100 packages installed from one project into another
  E_PACKAGE_LIMIT: false,
} as const satisfies Record<string, boolean>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isRetryableCode(code: ErrorCode): boolean {
  return ERROR_CODES[code];
}

/**
 * Codes that prove the provider refused a function call BEFORE running the function: throttling (429, SCF
 * 432), a request payload above the synchronous limit (413), and an authentication/authorization refusal
 * of the invoke request (401/403, an expired signature: the service checks the signature and permission before
 * dispatching).
 * A call that failed with one of these may be sent again even under at-most-once delivery (`retry='none'`),
 * because no execution happened. Everything else a sent request can fail with is ambiguous (the function may
 * have run): transport errors and resets, timeouts, 5xx, malformed replies, function errors. Decided from the
 * code only, never from message text; providers must map a refusal that can come AFTER execution (e.g. a
 * response above the size limit) to another code such as E_RESPONSE_TOO_LARGE.
 */
export const NOT_EXECUTED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['E_THROTTLED', 'E_PAYLOAD_TOO_LARGE', 'E_AUTH', 'E_CLOCK_SKEW']);

/** True when an invoke that failed with `code` certainly did not run the function (see NOT_EXECUTED_CODES). */
export function isNotExecutedCode(code: ErrorCode): boolean {
  return NOT_EXECUTED_CODES.has(code);
}
