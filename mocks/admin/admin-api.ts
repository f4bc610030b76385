import { z } from 'zod';
import type { AdminHandler } from '../http/mock-server.ts';
import { jsonReply, type MockReply } from '../http/mock-request.ts';
import {
  FAULT_KINDS,
  type CallLogEntry,
  type FaultPlanDefinition,
  type FunctionDefinition,
  type MockCounters,
  type RoleDefinition,
} from '../mock-types.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { LakefnError } from '../../src/errors/index.ts';

/** What the admin API drives: the MockCloud's own library methods. */
export interface AdminTarget {
  putRole(role: RoleDefinition): void;
  putFunction(definition: FunctionDefinition): string;
  putFaults(definition: FaultPlanDefinition): void;
  calls(): CallLogEntry[];
  counters(): MockCounters;
  reset(scope?: 'observations' | 'all'): void;
  info(): Record<string, unknown>;
  setClockOffset(milliseconds: number): void;
  readonly clockOffsetMs: number;
  setStsRegionEnabled(provider: (typeof PROVIDER_NAMES)[number], region: string, enabled: boolean): void;
}

const provider = z.enum(PROVIDER_NAMES);
const roleBody = z.object({
  provider,
  role_arn: z.string().min(1).max(2048),
  trust_policy: z.union([z.string().max(65_536), z.record(z.string(), z.unknown())]),
  max_session_duration_seconds: z.number().int().optional(),
});
const functionBody = z.object({
  provider,
  account_id: z.string().regex(/^\d{1,32}$/),
  region: z.string().min(1).max(64),
  namespace: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(170),
  builtin: z.string().min(1).max(64),
  concurrency: z.number().int().positive().optional(),
  latency_ms: z.number().nonnegative().optional(),
  cold_start_ms: z.number().nonnegative().optional(),
  throttle_retry_after_seconds: z.number().nonnegative().optional(),
  throttle_report: z.enum(['api_error', 'function_error']).optional(),
  qualifiers: z.array(z.string().min(1).max(128)).max(100).optional(),
});
const faultEntry = z.object({
  fault: z.enum(FAULT_KINDS),
  on: z.union([z.number().int().positive(), z.array(z.number().int().positive()).max(10_000)]).optional(),
  probability: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  retry_after_seconds: z.number().nonnegative().optional(),
  delay_ms: z.number().nonnegative().optional(),
  status: z.number().int().min(200).max(599).optional(),
});
const faultsBody = z.object({
  provider,
  function: z.string().min(1).max(170),
  account_id: z.string().optional(),
  region: z.string().optional(),
  namespace: z.string().optional(),
  plan: z.array(faultEntry).max(1000),
});
const resetBody = z.object({ scope: z.enum(['observations', 'all']).optional() });
// a skew of up to ten days either way is plenty for tests of clock correction and of its limit
const MAX_CLOCK_OFFSET_MS = 10 * 24 * 3_600_000;
const clockBody = z.object({ offset_ms: z.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS) });
const stsRegionBody = z.object({ provider, region: z.string().min(1).max(64), enabled: z.boolean() });

/** Drops undefined values so that optional properties stay absent (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/**
 * JSON over HTTP under `/_mock`: PUT /roles, PUT /functions (builtins only), PUT /faults, GET /calls, GET /counters,
 * PUT /clock (skew every service's clock), PUT /sts-regions (deactivate a provider's STS in a region), POST /reset,
 * GET / (the same object `lakefn mock --json` prints). Bodies use snake_case; errors are 400 `{"error"}`.
 */
export function createAdminHandler(target: AdminTarget): AdminHandler {
  return async (method, path, _query, body) => {
    const route = `${method} ${path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path}`;
    try {
      switch (route) {
        case 'GET /':
          return jsonReply(200, target.info());
        case 'PUT /roles': {
          const input = roleBody.parse(parseJson(body));
          target.putRole(defined({ provider: input.provider, roleArn: input.role_arn, trustPolicy: input.trust_policy, maxSessionDurationSeconds: input.max_session_duration_seconds }));
          return jsonReply(200, { ok: true });
        }
        case 'PUT /functions': {
          const input = functionBody.parse(parseJson(body));
          const key = target.putFunction(
            defined({
              provider: input.provider,
              accountId: input.account_id,
              region: input.region,
              namespace: input.namespace,
              name: input.name,
              builtin: input.builtin,
              concurrency: input.concurrency,
              latencyMs: input.latency_ms,
              coldStartMs: input.cold_start_ms,
              throttleRetryAfterSeconds: input.throttle_retry_after_seconds,
              throttleReport: input.throttle_report,
              qualifiers: input.qualifiers,
            }),
          );
          return jsonReply(200, { ok: true, key });
        }
        case 'PUT /faults': {
          const input = faultsBody.parse(parseJson(body));
          target.putFaults(
            defined({
              provider: input.provider,
              function: input.function,
              accountId: input.account_id,
              region: input.region,
              namespace: input.namespace,
              plan: input.plan.map((entry) =>
                defined({
                  fault: entry.fault,
                  on: entry.on,
                  probability: entry.probability,
                  seed: entry.seed,
                  retryAfterSeconds: entry.retry_after_seconds,
                  delayMs: entry.delay_ms,
                  status: entry.status,
                }),
              ),
            }),
          );
          return jsonReply(200, { ok: true });
        }
        case 'GET /calls':
          return jsonReply(200, { calls: target.calls().map(snakeCase) });
        case 'GET /counters': {
          const counters = target.counters();
          return jsonReply(200, { functions: Object.fromEntries(Object.entries(counters.functions).map(([key, value]) => [key, snakeCase(value)])), apis: counters.apis });
        }
        case 'GET /clock':
          return jsonReply(200, { offset_ms: target.clockOffsetMs });
        case 'PUT /clock': {
          const input = clockBody.parse(parseJson(body));
          target.setClockOffset(input.offset_ms);
          return jsonReply(200, { ok: true, offset_ms: target.clockOffsetMs });
        }
        case 'PUT /sts-regions': {
          const input = stsRegionBody.parse(parseJson(body));
          target.setStsRegionEnabled(input.provider, input.region, input.enabled);
          return jsonReply(200, { ok: true });
        }
        case 'POST /reset': {
          const input = resetBody.parse(body.length === 0 ? {} : parseJson(body));
          target.reset(input.scope);
          return jsonReply(200, { ok: true });
        }
        default:
          return jsonReply(404, { error: `no admin route ${route.slice(0, 200)}; see mocks/README.md` });
      }
    } catch (error) {
      return badRequest(error);
    }
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new LakefnError('E_INVALID_ARGUMENT', 'the body is not valid JSON');
  }
}

function badRequest(error: unknown): MockReply {
  if (error instanceof z.ZodError) {
    return jsonReply(400, { error: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') });
  }
  return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
}

function snakeCase(object: object): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined) result[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value;
  }
  return result;
}
