import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy, formatPolicyIssue, POLICY_LIMITS, validatePolicyDocument, type PolicyIssue } from '../../../src/governance/policy/index.ts';
import { documentText } from './policy-helpers.ts';

function errorsOf(text: string): PolicyIssue[] {
  const result = validatePolicyDocument(text);
  assert.equal(result.ok, false, 'the document should be refused');
  return result.ok ? [] : [...result.errors];
}

function hasIssue(issues: readonly PolicyIssue[], path: string, message: RegExp, suggestion?: string): void {
  const found = issues.find((candidate) => candidate.path === path && message.test(candidate.message));
  assert.ok(found, `no issue at ${path} matching ${message}; got:\n${issues.map(formatPolicyIssue).join('\n')}`);
  if (suggestion !== undefined) assert.equal(found.suggestion, suggestion);
}

const ALLOW_ALL = { Effect: 'Allow', Action: 'lakefn:*', Resource: '*' };

describe('policy document validation', () => {
  it('accepts a valid document with every operator', () => {
    const result = validatePolicyDocument(
      documentText({
        Sid: 'Everything',
        Effect: 'Allow',
        Action: ['lakefn:InvokeFunction', 'lakefn:Describe*'],
        Resource: ['lrn:lakefn:prod:function/*', 'lrn:lakefn:prod:connection/*'],
        Condition: {
          StringEquals: { 'lakefn:Provider': ['aws', 'aliyun'] },
          StringNotEquals: { 'lakefn:Region': 'cn-hongkong' },
          StringLike: { 'lakefn:PrincipalName': 'etl_*' },
          StringNotLike: { 'lakefn:Project': 'tmp_*' },
          IpAddress: { 'lakefn:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
          NotIpAddress: { 'lakefn:SourceIp': '10.9.0.0/16' },
          DateGreaterThan: { 'lakefn:CurrentTime': '2026-01-01T00:00:00Z' },
          DateLessThan: { 'lakefn:CurrentTime': 1893456000 },
        },
      }),
    );
    assert.ok(result.ok, result.ok ? '' : result.errors.map(formatPolicyIssue).join('\n'));
  });

  it('names the JSON path of a bad condition value', () => {
    const issues = errorsOf(documentText({ ...ALLOW_ALL, Condition: { IpAddress: { 'lakefn:SourceIp': ['10.0.0.0/8', '10.0.0.300'] } } }));
    hasIssue(issues, 'Statement[0].Condition.IpAddress["lakefn:SourceIp"][1]', /"10\.0\.0\.300" is not an IPv4 or IPv6 address or CIDR block/);
    const single = errorsOf(documentText(ALLOW_ALL, { ...ALLOW_ALL, Condition: { IpAddress: { 'lakefn:SourceIp': '10.0.0.0/33' } } }));
    hasIssue(single, 'Statement[1].Condition.IpAddress["lakefn:SourceIp"]', /prefix length outside 0\.\.32/);
  });

  it('refuses an unknown action, key, operator or field with a did-you-mean', () => {
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Action: ['lakefn:ListFunctions', 'lakefn:DropConection'] })), 'Statement[0].Action[1]', /matches no lakefn action/, 'lakefn:DropConnection');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Action: 'dlf:CreateTable' })), 'Statement[0].Action', /named lakefn:<Verb><Noun>/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Action: 'lakefn:Frobnicate*' })), 'Statement[0].Action', /matches no lakefn action/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: { 'lakefn:Provder': 'aws' } } })), 'Statement[0].Condition.StringEquals["lakefn:Provder"]', /unknown condition key/, 'lakefn:Provider');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEqual: { 'lakefn:Provider': 'aws' } } })), 'Statement[0].Condition.StringEqual', /unknown condition operator/, 'StringEquals');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Efect: 'Deny' })), 'Statement[0].Efect', /unknown field/, 'Effect');
    hasIssue(errorsOf(JSON.stringify({ version: '1', Statement: [ALLOW_ALL] })), 'version', /unknown field/, 'Version');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, NotAction: 'lakefn:DropConnection' })), 'Statement[0].NotAction', /not supported: .*Deny statement/);
  });

  it('checks the shape: version, effect, required fields, types', () => {
    hasIssue(errorsOf(JSON.stringify({ Version: '2012-10-17', Statement: [ALLOW_ALL] })), 'Version', /must be "1"/);
    hasIssue(errorsOf(JSON.stringify({ Version: '1', Statement: [] })), 'Statement', /at least one statement/);
    hasIssue(errorsOf(JSON.stringify({ Version: '1', Statement: ALLOW_ALL })), 'Statement', /array of statements/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Effect: 'allow' })), 'Statement[0].Effect', /"Allow" or "Deny"/);
    hasIssue(errorsOf(documentText({ Effect: 'Allow', Action: 'lakefn:*' })), 'Statement[0].Resource', /is required/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Action: [] })), 'Statement[0].Action', /non-empty array/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: { 'lakefn:Provider': { nested: 1 } } } })), 'Statement[0].Condition.StringEquals["lakefn:Provider"]', /value or a non-empty array/);
    hasIssue(errorsOf('{"Version": "1", "Statement": ['), '', /not valid JSON/);
  });

  it('reports the problems of every statement in one pass', () => {
    const issues = errorsOf(documentText({ ...ALLOW_ALL, Efect: 'x' }, { ...ALLOW_ALL, Action: 'lakefn:Nope' }));
    hasIssue(issues, 'Statement[0].Efect', /unknown field/);
    hasIssue(issues, 'Statement[1].Action', /matches no lakefn action/);
  });

  it('refuses duplicate keys and duplicate Sids', () => {
    hasIssue(errorsOf('{"Version": "1", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "lakefn:*", "Resource": "*"}]}'), 'Statement[0].Effect', /appears twice/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Sid: 'A' }, { ...ALLOW_ALL, Sid: 'A' })), 'Statement[1].Sid', /already the Sid of Statement\[0\]/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Sid: 'has space' })), 'Statement[0].Sid', /letters, digits/);
  });

  it('checks size limits before anything else', () => {
    hasIssue(errorsOf(`${documentText(ALLOW_ALL)}${' '.repeat(POLICY_LIMITS.documentBytes)}`), '', /more than the 16384 allowed/);
    const many = Array.from({ length: POLICY_LIMITS.statements + 1 }, () => ALLOW_ALL);
    hasIssue(errorsOf(documentText(...many)), 'Statement', /101 statements, more than the 100 allowed/);
    const actions = Array.from({ length: POLICY_LIMITS.listValues + 1 }, () => 'lakefn:ListFunctions');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Action: actions })), 'Statement[0].Action', /101 entries/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Resource: `lrn:lakefn:p:function/${'a'.repeat(POLICY_LIMITS.patternLength)}` })), 'Statement[0].Resource', /longer than 1024/);
    const eleven = Array.from({ length: 11 }, () => ({ ...ALLOW_ALL, Action: Array.from({ length: 100 }, () => '*') }));
    hasIssue(errorsOf(documentText(...eleven)), '', /more than the 1000 allowed/);
  });

  it('checks operators against key types, and values against operators', () => {
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: { 'lakefn:SourceIp': '10.0.0.1' } } })), 'Statement[0].Condition.StringEquals["lakefn:SourceIp"]', /an IP address key: StringEquals does not apply to it \(use IpAddress or NotIpAddress\)/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { Bool: { 'lakefn:Provider': 'true' } } })), 'Statement[0].Condition.Bool["lakefn:Provider"]', /a string key/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: { 'lakefn:Provider': 'AWS' } } })), 'Statement[0].Condition.StringEquals["lakefn:Provider"]', /not a provider/, 'aws');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: { 'lakefn:Region': 3 } } })), 'Statement[0].Condition.StringEquals["lakefn:Region"]', /compares strings/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { Bool: { 'lakefn:ViaPackage': 'yes' } } })), 'Statement[0].Condition.Bool["lakefn:ViaPackage"]', /not true or false/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { Bool: { 'lakefn:ViaPackage': 'True' } } })), 'Statement[0].Condition.Bool["lakefn:ViaPackage"]', /not true or false/, 'true');
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Condition: { StringEquals: {} } })), 'Statement[0].Condition.StringEquals', /names no condition key/);
  });

  it('parses dates strictly', () => {
    const dateIssue = (value: unknown): PolicyIssue[] => errorsOf(documentText({ ...ALLOW_ALL, Condition: { DateLessThan: { 'lakefn:CurrentTime': value } } }));
    const path = 'Statement[0].Condition.DateLessThan["lakefn:CurrentTime"]';
    hasIssue(dateIssue('March 7 2026'), path, /not an ISO 8601 date/);
    hasIssue(dateIssue('2026-02-30'), path, /not a valid calendar date/);
    hasIssue(dateIssue('2026-01-01T10:00:00'), path, /not an ISO 8601 date/);
    hasIssue(dateIssue('2026-01-01T25:00:00Z'), path, /not a valid calendar date/);
    hasIssue(dateIssue(1.5), path, /whole number of epoch seconds/);
    hasIssue(dateIssue(true), path, /not a date/);
    for (const good of ['2026-01-01', '2026-01-01T10:00Z', '2026-01-01T10:00:00.123456+08:00', '1767225600', 1767225600]) {
      assert.ok(validatePolicyDocument(documentText({ ...ALLOW_ALL, Condition: { DateLessThan: { 'lakefn:CurrentTime': good } } })).ok, String(good));
    }
  });

  it('reports a condition key the statement’s actions do not support (error if none does, warning if some do not)', () => {
    hasIssue(errorsOf(documentText({ Effect: 'Deny', Action: 'lakefn:CreateUser', Resource: '*', Condition: { StringEquals: { 'lakefn:Provider': 'aws' } } })), 'Statement[0].Condition.StringEquals["lakefn:Provider"]', /not supported by lakefn:CreateUser/);
    const result = validatePolicyDocument(documentText({ Effect: 'Deny', Action: ['lakefn:DropConnection', 'lakefn:DropUser'], Resource: '*', Condition: { StringNotEquals: { 'lakefn:Provider': 'aws' } } }));
    assert.ok(result.ok);
    assert.equal(result.warnings.length, 1);
    assert.match(formatPolicyIssue(result.warnings[0]!), /StringNotEquals\["lakefn:Provider"\]: lakefn:Provider is absent from requests for 1 of the statement's 2 actions \(e\.g\. lakefn:DropUser\): for those, this StringNotEquals condition is true/);
  });

  it('checks resources against the statement’s actions', () => {
    hasIssue(errorsOf(documentText({ Effect: 'Allow', Action: 'lakefn:CreateUser', Resource: 'lrn:lakefn:*:*' })), 'Statement[0].Resource', /apply to no resource \(account-wide\): write "Resource": "\*"|applies to no resource \(account-wide\): write "Resource": "\*"/);
    hasIssue(errorsOf(documentText({ Effect: 'Allow', Action: 'lakefn:InvokeFunction', Resource: ['lrn:lakefn:prod:function/*', 'lrn:lakefn:prod:connection/*'] })), 'Statement[0].Resource[1]', /names connection resources, which none of the statement's actions applies to \(they apply to: function\)/);
    hasIssue(errorsOf(documentText({ ...ALLOW_ALL, Resource: 'lrn:lakefn:prod:table/*' })), 'Statement[0].Resource', /matches no resource type/);
  });

  it('compilePolicy throws E_INVALID_ARGUMENT naming the policy and every problem', () => {
    assert.throws(
      () => compilePolicy('auditor', documentText({ ...ALLOW_ALL, Action: 'lakefn:ReadAudt' })),
      (error: Error & { code?: string; data?: { issues?: unknown[] } }) =>
        error.code === 'E_INVALID_ARGUMENT' &&
        error.message.startsWith("policy 'auditor' is invalid (1 problem):") && /Statement\[0\]\.Action: "lakefn:ReadAudt" matches no lakefn action .*\(did you mean "lakefn:ReadAudit"\?\)/.test(error.message) && error.data?.issues?.length === 1,
    );
  });
});
