import { LakefnError } from '../../src/errors/index.ts';
import type { AssumeRoleCallOptionsV1, AssumeRoleResultV1, ConnectionRecord, ProviderAdapterV1 } from '../../src/spec/index.ts';

/**
 * A ProviderAdapterV1 whose STS is scripted in memory, for the broker's own logic (windows,
 * single-flight, coalescing). The real SDK paths are covered by the contract suite against the mock.
 */
export interface FakeStsAdapter extends ProviderAdapterV1 {
  readonly assumeRoleCalls: AssumeRoleCallOptionsV1[];
  /** Answers the next AssumeRole calls with these errors, in order (then succeeds again). */
  failNext(...errors: LakefnError[]): void;
  /** Holds AssumeRole answers until `release()` (to observe single-flight). */
  hold(): void;
  release(): void;
  /** Trusted external IDs; undefined in the set means "trusts without one" (insecure). */
  readonly trusted: Set<string | undefined>;
}

export function createFakeStsAdapter(clock: { now(): number }, lifetimeSeconds = 3600): FakeStsAdapter {
  const assumeRoleCalls: AssumeRoleCallOptionsV1[] = [];
  const failures: LakefnError[] = [];
  const trusted = new Set<string | undefined>();
  let held: { promise: Promise<void>; release: () => void } | undefined;
  let issued = 0;
  return {
    specificationVersion: 'v1',
    provider: 'aws',
    limits: { maxRequestBytes: 6 * 1024 * 1024 },
    async bindConnection(connection) {
      return {
        connectionName: connection.name,
        region: connection.region,
        roleArn: connection.roleArn,
        endpoints: { sts: new URL('https://sts.fake.test'), invoke: new URL('https://invoke.fake.test') },
      };
    },
    assumeRoleCalls,
    trusted,
    failNext: (...errors) => failures.push(...errors),
    hold() {
      let release = (): void => undefined;
      const promise = new Promise<void>((resolve) => (release = resolve));
      held = { promise, release };
    },
    release() {
      held?.release();
      held = undefined;
    },
    async doAssumeRole(options): Promise<AssumeRoleResultV1> {
      assumeRoleCalls.push(options);
      if (held !== undefined) await held.promise;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      if (trusted.size > 0 && !trusted.has(options.externalId)) {
        throw new LakefnError('E_STS_DENIED', 'AWS STS refused AssumeRole', { provider: { status: 403, code: 'AccessDenied' }, location: { provider: 'aws' } });
      }
      issued += 1;
      return {
        credentials: {
          accessKeyId: `ASIAFAKE${issued}`,
          secretAccessKey: `fake-secret-${issued}-0123456789`,
          sessionToken: `fake-token-${issued}-0123456789`,
          expiration: new Date(clock.now() + lifetimeSeconds * 1000),
        },
      };
    },
    async doInvoke() {
      throw new Error('not used');
    },
    async close() {},
  };
}

export function makeConnection(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    name: 'sales_fc',
    provider: 'aws',
    region: 'us-east-1',
    roleArn: 'arn:aws:iam::123456789012:role/lakefn',
    namespace: 'default',
    codeBucket: null,
    externalId: 'Xk3q9ZpL0aT7vB2mN8cR4sW6yE1uI5oP',
    comment: null,
    status: 'VERIFIED',
    statusDetail: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export const BROKER_ENVIRONMENT = { AWS_ACCESS_KEY_ID: 'AKIABROKER000001', AWS_SECRET_ACCESS_KEY: 'broker-secret-key-0123456789' } as const;
