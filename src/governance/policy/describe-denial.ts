import type { AuthorizationDecision, DecisionStep } from './authorize.ts';
import type { PolicyAttachment, StatementReference } from './evaluate-policy.ts';
import { formatResourceName, type ResourceName } from './resource-name.ts';

/** `role analyst`, `project prod`. */
export function describeAttachment(attachment: PolicyAttachment): string {
  return `${attachment.kind} ${attachment.name}`;
}

/** `policy no_prod_drops, statement DenyDrop (attached to role analyst)`; unnamed statements by index. */
export function describeStatement(reference: StatementReference, attachedVerb = 'attached to'): string {
  const statement = reference.sid === undefined ? `Statement[${reference.statement}]` : `Sid ${reference.sid}`;
  return `policy ${reference.policy}, ${statement} (${attachedVerb} ${describeAttachment(reference.attachedTo)})`;
}

/** The LRN, or `the account` for an account-wide request. */
export function describeResource(resource: ResourceName | undefined): string {
  return resource === undefined ? 'the account' : formatResourceName(resource);
}

function findStep<Name extends DecisionStep['step']>(steps: readonly DecisionStep[], name: Name): Extract<DecisionStep, { step: Name }> | undefined {
  return steps.find((step): step is Extract<DecisionStep, { step: Name }> => step.step === name);
}

/** One line saying why a request was denied: what matched, or what is missing, and where. */
export function describeDenial(decision: Omit<AuthorizationDecision, 'reason'>): string {
  const target = `${decision.action} on ${describeResource(decision.resource)}`;
  switch (decision.deniedAt) {
    case 'boundary': {
      const failed = findStep(decision.steps, 'boundary')?.boundaries.find((verdict) => !verdict.inside);
      if (failed === undefined) return `${target} is outside a boundary`;
      const where = `the boundary ${failed.policy} set on ${describeAttachment(failed.attachedTo)}`;
      const denial = failed.deniedBy[0];
      return denial === undefined
        ? `${target} is outside ${where}: none of its Allow statements matches (a boundary only caps, it never grants)`
        : `${target} is outside ${where}: its Deny ${denial.sid === undefined ? `Statement[${denial.statement}]` : `statement ${denial.sid}`} matches`;
    }
    case 'explicit_deny': {
      const denial = findStep(decision.steps, 'explicit_deny')?.statements[0];
      return denial === undefined ? `${target} is explicitly denied` : `${target} is explicitly denied by ${describeStatement(denial)}`;
    }
    case 'api_layer':
      return `no policy attached to ${decision.principal} or its roles allows ${target}`;
    case 'data_layer': {
      const missing = findStep(decision.steps, 'data_layer')?.missing;
      return `no object privilege or managed data policy allows ${target}${missing === undefined ? '' : `: missing ${missing}`}`;
    }
    case 'dependencies': {
      const failed = findStep(decision.steps, 'dependencies')?.dependencies.find((verdict) => verdict.decision === undefined || !verdict.decision.allowed);
      if (failed === undefined) return `a dependent action of ${target} is denied`;
      if (failed.decision === undefined) return `${target} needs ${failed.action} (${failed.as}), which was not supplied to the authorization check (denied: fail closed)`;
      const whose = failed.as === 'owner' ? ` for the function owner ${failed.decision.principal}` : '';
      return `${target} needs ${failed.action} on ${describeResource(failed.decision.resource)}${whose}: ${failed.decision.reason}`;
    }
    case 'super_administrator': // step 2 only ever allows
    case undefined:
      return 'allowed';
  }
}
