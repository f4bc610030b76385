import { generateExternalId } from '../catalog/external-id.ts';
import { brokerKeyVariables, brokerPartitionOf } from '../config/provider-environment.ts';
import { type LakefnError, expectInteger, toLakefnError } from '../errors/index.ts';
import { isProbeRefusal, isStsRefusal } from '../provider-utils/provider-error-tables.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';
import { requireBrokerCredentials } from './broker-identity.ts';
import { sessionNameFor } from './session-name.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';

export interface ConnectionValidation {
  /**
   * VERIFIED, FAILED or INSECURE_TRUST_POLICY: what the cloud definitely answered (stored). INCONCLUSIVE: the
   * cloud's answer proves nothing (transport error, timeout, throttling, STS 5xx, the broker's own keys rejected,
   * STS disabled in the region); the stored status must stay as it is.
   */
  readonly status: 'VERIFIED' | 'FAILED' | 'INSECURE_TRUST_POLICY' | 'INCONCLUSIVE';
  /** FAILED / INSECURE_TRUST_POLICY: the failing step and what to do (shown by DESC); INCONCLUSIVE: the reason. */
  readonly detail: string | null;
}

export type ValidateConnectionOptions = (
  | { readonly adapter: ProviderAdapterV1 }
  | { readonly adapterFor: (provider: ProviderName) => ProviderAdapterV1 }
) & {
  /** @default process.env */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Timeout of each AssumeRole. @default 10_000 */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
};

// The shortest session every cloud accepts: the probe credentials are thrown away at once.
const PROBE_DURATION_SECONDS = 900;

type Attempt = { readonly ok: true } | { readonly ok: false; readonly failure: LakefnError; readonly refused: boolean };

/**
 * Whether a failed AssumeRole is the role definitely refusing. Step 1: only the provider's `stsRefusals`. The probes
 * (no external ID, a random one) come right after the same broker keys succeeded with the right one, so any
 * authorization-type answer is the role refusing: `stsRefusals`, `probeRefusals`, or STS rejecting the external ID
 * parameter itself. Never a refused signature time (a clock error proves nothing about the role) or a retryable error.
 */
function isDefiniteRefusal(definition: ProviderDefinition, failure: LakefnError, probe: boolean): boolean {
  if (failure.retryable || failure.code === 'E_CLOCK_SKEW' || failure.code === 'E_STS_REGION_DISABLED') return false;
  const code = failure.provider?.code;
  if (failure.code === 'E_STS_DENIED' && isStsRefusal(definition, code)) return true;
  if (!probe) return false;
  return isProbeRefusal(definition, code) || failure.data?.['externalIdRejected'] === true;
}

/**
 * VALIDATE API CONNECTION: (1) AssumeRole with the connection's external ID must succeed; (2) without
 * an external ID and (3) with a random one, it must be refused. If (2) or (3) succeeds the role
 * trusts lakefn's broker account without the external ID, so any tenant of this lakefn could use it
 * (the confused deputy): INSECURE_TRUST_POLICY. Credentials obtained here are discarded.
 *
 * Only a definite answer changes the connection: step 1 definitely refused (the provider's `stsRefusals`: the trust
 * policy or a missing role) is FAILED, steps 2 and 3 definitely refused is VERIFIED. Anything else is INCONCLUSIVE,
 * so that an unreachable STS or a wrong broker key never demotes a working connection.
 * Throws only when lakefn itself cannot run the check (no broker keys, a tampered row, cancelled).
 */
export async function validateConnection(connection: ConnectionRecord, options: ValidateConnectionOptions): Promise<ConnectionValidation> {
  const definition = providerDefinition(connection.provider);
  const adapter = 'adapter' in options ? options.adapter : options.adapterFor(connection.provider);
  const environment = options.environment ?? process.env;
  const timeoutMs = expectInteger(options.timeoutMs ?? 10_000, 'timeoutMs', 1);
  const broker = requireBrokerCredentials(connection, environment);
  const binding = await adapter.bindConnection(connection);
  const sts = definition.names.services.sts;
  const desc = `DESC API CONNECTION ${quoteIdentifier(connection.name)}`;
  const attempt = async (externalId: string | undefined, probe: boolean): Promise<Attempt> => {
    try {
      await adapter.doAssumeRole({
        broker,
        binding,
        ...(externalId === undefined ? {} : { externalId }),
        sessionName: sessionNameFor(connection),
        durationSeconds: PROBE_DURATION_SECONDS,
        timeoutMs,
        ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      });
      return { ok: true };
    } catch (error) {
      const failure = toLakefnError(error);
      if (failure.code === 'E_CANCELLED' || failure.code === 'E_NO_BROKER_CREDENTIALS') throw failure;
      return { ok: false, failure, refused: isDefiniteRefusal(definition, failure, probe) };
    }
  };
  const inconclusive = (step: string, failure: LakefnError): ConnectionValidation => ({
    status: 'INCONCLUSIVE',
    detail: `${step}: ${inconclusiveHint(failure, sts, connection)}; the stored status is unchanged; VALIDATE again once that is fixed`,
  });

  const step1 = 'step 1 (AssumeRole with the external ID)';
  const withId = await attempt(connection.externalId, false);
  if (!withId.ok) {
    if (!withId.refused) return inconclusive(step1, withId.failure);
    return {
      status: 'FAILED',
      detail:
        `${step1}: ${sts} refused it${facts(withId.failure)}; paste the trust policy printed by ${desc} into role ${connection.roleArn} ` +
        "(principal: lakefn's broker account, condition: this connection's external ID), then VALIDATE again",
    };
  }
  const probes = [
    { step: 'step 2 (AssumeRole without an external ID)', externalId: undefined },
    { step: 'step 3 (AssumeRole with a random external ID)', externalId: generateExternalId() },
  ];
  for (const probe of probes) {
    const outcome = await attempt(probe.externalId, true);
    if (outcome.ok) {
      return {
        status: 'INSECURE_TRUST_POLICY',
        detail:
          `${probe.step} succeeded, but it must be refused: role ${connection.roleArn} trusts lakefn's broker account without requiring this connection's external ID, ` +
          `so any lakefn user could reach it (confused deputy). Replace its trust policy with the one printed by ${desc} (it has the external ID condition), then VALIDATE again`,
      };
    }
    if (!outcome.refused) return inconclusive(probe.step, outcome.failure);
  }
  return { status: 'VERIFIED', detail: null };
}

function inconclusiveHint(failure: LakefnError, sts: string, connection: ConnectionRecord): string {
  switch (failure.code) {
    case 'E_AUTH': {
      const [idVariable, secretVariable] = brokerKeyVariables(connection.provider, brokerPartitionOf(connection));
      return `${sts} rejected lakefn's broker keys${facts(failure)}, so the role's trust policy was not tested; check ${idVariable} / ${secretVariable}`;
    }
    case 'E_STS_REGION_DISABLED':
    case 'E_CLOCK_SKEW':
      // the adapter's message says what to do (where to activate STS; by how much the clock is off)
      return `${failure.message}${facts(failure)}`;
    default:
      if (failure.retryable) return `could not reach ${sts}${facts(failure)}; check the network and the STS endpoint`;
      return `${sts} answered with an error that does not say whether the role trusts lakefn${facts(failure)}: ${failure.message}`;
  }
}

function facts(failure: LakefnError): string {
  const parts = [failure.code, failure.provider?.code, failure.provider?.status === undefined ? undefined : `HTTP ${failure.provider.status}`].filter(
    (part) => part !== undefined,
  );
  return ` (${parts.join(', ')})`;
}
