import { generateExternalId } from '../catalog/external-id.ts';
import { type LakefnError, toLakefnError } from '../errors/index.ts';
import { serviceName } from '../provider-utils/classify-provider-error.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { ProviderAdapterV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { requireBrokerCredentials } from './broker-identity.ts';
import { sessionNameFor } from './session-name.ts';

export interface ConnectionValidation {
  readonly status: 'VERIFIED' | 'FAILED' | 'INSECURE_TRUST_POLICY';
  /** For FAILED / INSECURE_TRUST_POLICY: the failing step and what to do (shown by DESC). */
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

/**
 * VALIDATE API CONNECTION: (1) AssumeRole with the connection's external ID must succeed; (2) without
 * an external ID and (3) with a random one, it must be refused. If (2) or (3) succeeds the role
 * trusts lakefn's broker account without the external ID, so any tenant of this lakefn could use it
 * (the confused deputy): INSECURE_TRUST_POLICY. Credentials obtained here are discarded.
 * Throws only when lakefn itself cannot run the check (no broker keys, cancelled).
 */
export async function validateConnection(connection: ConnectionRecord, options: ValidateConnectionOptions): Promise<ConnectionValidation> {
  const adapter = 'adapter' in options ? options.adapter : options.adapterFor(connection.provider);
  const broker = requireBrokerCredentials(connection.provider, options.environment ?? process.env);
  const sts = serviceName(connection.provider, 'sts');
  const desc = `DESC API CONNECTION ${connection.name}`;
  const attempt = async (externalId: string | undefined): Promise<LakefnError | undefined> => {
    try {
      await adapter.doAssumeRole({
        broker,
        region: connection.region,
        roleArn: connection.roleArn,
        ...(externalId === undefined ? {} : { externalId }),
        sessionName: sessionNameFor(connection),
        durationSeconds: PROBE_DURATION_SECONDS,
        timeoutMs: options.timeoutMs ?? 10_000,
        ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
      });
      return undefined;
    } catch (error) {
      const failure = toLakefnError(error);
      if (failure.code === 'E_CANCELLED' || failure.code === 'E_NO_BROKER_CREDENTIALS') throw failure;
      return failure;
    }
  };

  const withId = await attempt(connection.externalId);
  if (withId !== undefined) {
    return { status: 'FAILED', detail: `step 1 (AssumeRole with the external ID): ${stepOneHint(withId, sts, connection, desc)}` };
  }
  const probes = [
    { step: 'step 2 (AssumeRole without an external ID)', externalId: undefined },
    { step: 'step 3 (AssumeRole with a random external ID)', externalId: generateExternalId() },
  ];
  for (const probe of probes) {
    const failure = await attempt(probe.externalId);
    if (failure === undefined) {
      return {
        status: 'INSECURE_TRUST_POLICY',
        detail:
          `${probe.step} succeeded, but it must be refused: role ${connection.roleArn} trusts lakefn's broker account without requiring this connection's external ID, ` +
          `so any lakefn user could reach it (confused deputy). Replace its trust policy with the one printed by ${desc} (it has the sts:ExternalId condition), then VALIDATE again`,
      };
    }
    if (failure.code !== 'E_STS_DENIED') {
      return { status: 'FAILED', detail: `${probe.step}: ${unreachableHint(failure, sts)}` };
    }
  }
  return { status: 'VERIFIED', detail: null };
}

function stepOneHint(failure: LakefnError, sts: string, connection: ConnectionRecord, desc: string): string {
  switch (failure.code) {
    case 'E_STS_DENIED':
      return `${sts} refused it${facts(failure)}; paste the trust policy printed by ${desc} into role ${connection.roleArn} (principal: lakefn's broker account, condition: this connection's external ID), then VALIDATE again`;
    case 'E_AUTH':
      return `${sts} rejected lakefn's broker keys${facts(failure)}; check the broker access key in the provider's standard environment variables`;
    default:
      return unreachableHint(failure, sts);
  }
}

function unreachableHint(failure: LakefnError, sts: string): string {
  if (failure.retryable) return `could not reach ${sts}${facts(failure)}; check the network and the STS endpoint, then VALIDATE again`;
  return `${sts} answered with an error${facts(failure)}: ${failure.message}`;
}

function facts(failure: LakefnError): string {
  const parts = [failure.code, failure.provider?.code, failure.provider?.status === undefined ? undefined : `HTTP ${failure.provider.status}`].filter(
    (part) => part !== undefined,
  );
  return ` (${parts.join(', ')})`;
}
