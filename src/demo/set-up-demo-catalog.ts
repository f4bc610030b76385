import { namespaceRequirement } from '../catalog/namespace.ts';
import { LakefnError } from '../errors/index.ts';
import type { MockCloud } from '../registry/load-mock-cloud.ts';
import type { ChangeResult, ConnectionDescriptionResult, StatementResult } from '../sql/execute-result.ts';
import type { ExecutionServices } from '../sql/execute-services.ts';
import { executeStatements } from '../sql/execute-statement.ts';
import { DEMO_FUNCTION_CONCURRENCY, DEMO_FUNCTION_LATENCY_MS, DEMO_FUNCTION_PROPERTIES, demoRoleArn, type DemoProvider } from './demo-plan.ts';

/**
 * Sets up each provider the way a user would: CREATE API CONNECTION, read DESC (external ID and trust policy),
 * create the role in the (mock) customer account with exactly that trust policy, VALIDATE (must be VERIFIED), deploy
 * the function and CREATE EXTERNAL FUNCTION over it. `narrate` receives the human-readable account of each step.
 */
export async function setUpDemoCatalog(providers: readonly DemoProvider[], mock: MockCloud, services: ExecutionServices, narrate: (text: string) => void): Promise<void> {
  for (const [index, provider] of providers.entries()) {
    narrate(`\n[${index + 1}/${providers.length}] ${provider.label}\n`);
    await setUpProvider(provider, mock, services, narrate);
  }
}

async function setUpProvider(provider: DemoProvider, mock: MockCloud, services: ExecutionServices, narrate: (text: string) => void): Promise<void> {
  const accountId = mock.customerAccounts[provider.provider].accountId;
  const roleArn = demoRoleArn(provider.provider, accountId, provider.roleName);
  const namespace = namespaceRequirement(provider.provider) === undefined ? '' : ` NAMESPACE = '${provider.namespace}'`;
  const create = `CREATE OR REPLACE API CONNECTION ${provider.connection} TYPE CLOUD_FUNCTION PROVIDER = '${provider.provider}' REGION = '${provider.region}' ROLE_ARN = '${roleArn}'${namespace} COMMENT 'lakefn demo: ${provider.label}'`;
  narrate(`  lakefn> ${create};\n`);
  await run(create, services);

  const described = await run(`DESC API CONNECTION ${provider.connection}`, services);
  const description = expectKind<ConnectionDescriptionResult>(described, 'connection-description').description;
  narrate(`  lakefn> DESC API CONNECTION ${provider.connection};\n`);
  narrate(`    external_id   ${description.external_id}\n    status        ${description.status}\n    trust_policy  (paste into the role ${roleArn}):\n`);
  const policyText = JSON.stringify(description.trust_policy, null, 2);
  narrate(`${policyText.replace(/^/gm, '      ')}\n`);
  // What the customer does in their cloud console: create the role with the policy DESC printed, verbatim.
  mock.putRole({ provider: provider.provider, roleArn, trustPolicy: policyText });
  narrate(`  (customer account ${accountId}: role created with that trust policy)\n`);

  const validated = expectKind<ChangeResult>(await run(`VALIDATE API CONNECTION ${provider.connection}`, services), 'change');
  const status = validated.connection?.status ?? 'unknown';
  narrate(`  lakefn> VALIDATE API CONNECTION ${provider.connection};  → ${status}\n`);
  if (status !== 'VERIFIED') {
    throw new LakefnError('E_CONNECTION_NOT_USABLE', `demo: VALIDATE API CONNECTION ${provider.connection} gave ${status}: ${validated.connection?.status_detail ?? validated.message}`);
  }

  mock.putFunction({
    provider: provider.provider,
    accountId,
    region: provider.region,
    namespace: provider.namespace,
    name: provider.cloudFunction,
    builtin: provider.cloudFunction,
    concurrency: DEMO_FUNCTION_CONCURRENCY,
    latencyMs: DEMO_FUNCTION_LATENCY_MS,
    throttleRetryAfterSeconds: 0,
  });
  const createFunction = `CREATE OR REPLACE EXTERNAL FUNCTION ${provider.sqlFunction}${provider.signature} CONNECTION ${provider.connection} AS '${provider.cloudFunction}' WITH PROPERTIES (${DEMO_FUNCTION_PROPERTIES})`;
  narrate(`  (function '${provider.cloudFunction}' deployed: concurrency ${DEMO_FUNCTION_CONCURRENCY}, ${DEMO_FUNCTION_LATENCY_MS} ms per call)\n  lakefn> ${createFunction};\n`);
  await run(createFunction, services);
}

async function run(sql: string, services: ExecutionServices): Promise<StatementResult> {
  const [result] = await executeStatements(sql, services);
  if (result === undefined) throw new LakefnError('E_INTERNAL', `demo: no result for ${sql}`);
  return result;
}

function expectKind<T extends StatementResult>(result: StatementResult, kind: T['kind']): T {
  if (result.kind !== kind) throw new LakefnError('E_INTERNAL', `demo: expected a ${kind} result, got ${result.kind}`);
  return result as T;
}
