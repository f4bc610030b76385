import type { AuthorizationDecision, DecisionStep } from './authorize.ts';
import { describeAttachment, describeResource, describeStatement } from './describe-denial.ts';

const STEP_TITLES: Readonly<Record<DecisionStep['step'], string>> = {
  super_administrator: '2 super_administrator',
  boundary: '3 boundary',
  explicit_deny: '4 explicit Deny',
  api_layer: '5 API layer',
  data_layer: '6 data layer',
  dependencies: '7 dependencies',
};
const TITLE_WIDTH = 24;

/**
 * A decision as a policy simulator prints it, one line per step (steps nest for dependent actions):
 * ```
 * DENY lakefn:DropConnection on lrn:lakefn:prod:connection/orders as alice
 *   1 authenticate          alice (roles: analyst)
 *   2 super_administrator   not a member
 *   3 boundary              pass: inside policy prod_cap (set on project prod), Sid AllowAll
 *   4 explicit Deny         DENY: policy no_prod_drops, Sid DenyDrop (attached to role analyst)
 *   …
 *   reason: lakefn:DropConnection on … is explicitly denied by policy no_prod_drops, Sid DenyDrop (attached to role analyst)
 * ```
 * Pass a decision made with `{ explain: true }` to see every matching statement of every step.
 */
export function explainDecision(decision: AuthorizationDecision, indent = ''): string[] {
  const lines = [`${indent}${decision.allowed ? 'ALLOW' : 'DENY'} ${decision.action} on ${describeResource(decision.resource)} as ${decision.principal}`];
  const line = (title: string, text: string): void => void lines.push(`${indent}  ${title.padEnd(TITLE_WIDTH)}${text}`);
  line('1 authenticate', `${decision.principal}${decision.roles.length === 0 ? '' : ` (roles: ${decision.roles.join(', ')})`}`);
  for (const step of decision.steps) {
    const title = STEP_TITLES[step.step];
    const texts = describeStep(step);
    texts.forEach((text, index) => line(index === 0 ? title : '', text));
    if (step.step === 'dependencies') {
      for (const verdict of step.dependencies) {
        if (verdict.decision !== undefined) lines.push(...explainDecision(verdict.decision, `${indent}      `));
      }
    }
  }
  lines.push(`${indent}  reason: ${decision.reason}`);
  return lines;
}

function outcomeWord(outcome: string): string {
  return outcome === 'deny' ? 'DENY' : outcome.replace('_', ' ');
}

function describeStep(step: DecisionStep): string[] {
  if (step.outcome === 'not_evaluated') return ['not evaluated (decided above)'];
  switch (step.step) {
    case 'super_administrator':
      return [step.outcome === 'allow' ? 'ALLOW: member of super_administrator (break-glass, audited)' : 'not a member'];
    case 'boundary':
      if (step.outcome === 'not_applicable') return ['none applies'];
      return step.boundaries.map((verdict) => {
        const where = `policy ${verdict.policy} (set on ${describeAttachment(verdict.attachedTo)})`;
        if (verdict.inside) return `pass: inside ${where}${verdict.allowedBy[0]?.sid === undefined ? '' : `, Sid ${verdict.allowedBy[0].sid}`}`;
        const denial = verdict.deniedBy[0];
        return `DENY: outside ${where}: ${denial === undefined ? 'no Allow statement matches' : `Deny ${denial.sid === undefined ? `Statement[${denial.statement}]` : `Sid ${denial.sid}`} matches`}`;
      });
    case 'explicit_deny':
      return step.statements.length === 0 ? ['pass: no Deny statement matches'] : step.statements.map((reference) => `DENY: ${describeStatement(reference)}`);
    case 'api_layer':
      return step.statements.length === 0 ? ['DENY: no attached policy allows it'] : step.statements.map((reference) => `pass: ${describeStatement(reference)}`);
    case 'data_layer': {
      if (step.outcome === 'not_applicable') return ['not applicable (the API layer decides this action)'];
      if (step.outcome === 'skipped') return ["skipped: the project's OBJECT_PRIVILEGES is OFF"];
      const texts = [
        ...(step.grant === undefined ? [] : [`pass: object privilege ${step.grant}`]),
        ...step.statements.map((reference) => `pass: managed data ${describeStatement(reference)}`),
      ];
      if (texts.length > 0) return step.grant === undefined && step.missing !== undefined ? [...texts, `(no object privilege: missing ${step.missing})`] : texts;
      return [`DENY: no object privilege (missing ${step.missing ?? 'a privilege'}) and no managed data policy`];
    }
    case 'dependencies':
      if (step.outcome === 'not_applicable') return ['none'];
      return step.dependencies.map((verdict) => {
        const whose = verdict.as === 'owner' ? ' (as the function owner)' : '';
        if (verdict.decision === undefined) return `DENY: ${verdict.action}${whose} was not supplied to the check`;
        return `${outcomeWord(verdict.decision.allowed ? 'pass' : 'deny')}: ${verdict.action} on ${describeResource(verdict.decision.resource)}${whose}`;
      });
  }
}
