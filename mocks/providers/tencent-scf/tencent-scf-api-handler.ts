import { randomUUID } from 'node:crypto';
import type { HandlerResult, LogFields, MockRequest } from '../../http/mock-request.ts';
import type { MockState } from '../../mock-state.ts';
import type { MockApi } from '../../mock-types.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { handleScfInvoke } from './tencent-scf-invoke-handler.ts';
import { tencentAuthFailure, tencentError } from './tencent-scf-responses.ts';
import { verifyTc3 } from './tencent-scf-signature-verifier.ts';
import { handleTencentAssumeRole } from './tencent-scf-sts-handler.ts';

const ACTIONS: Readonly<Record<string, { version: string; api: MockApi }>> = {
  AssumeRole: { version: '2018-08-13', api: 'sts:AssumeRole' },
  Invoke: { version: '2018-04-16', api: 'scf:Invoke' },
  InvokeFunction: { version: '2018-04-16', api: 'scf:InvokeFunction' },
};

function fail(log: LogFields, code: string, message: string): HandlerResult {
  log.errorCode = code;
  return { reply: tencentError(code, message, log.requestId), log };
}

/**
 * Tencent Cloud API 3.0 (POST /, X-TC-Action, TC3-signed JSON body). The service name comes from the credential
 * scope, not from the endpoint, because the SDK derives it from the endpoint's first DNS label (`127` on loopback).
 */
export async function handleTencentApi(request: MockRequest, state: MockState): Promise<HandlerResult> {
  const requestId = randomUUID();
  const action = headerValue(request.headers, 'x-tc-action') ?? '';
  const known = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  const log: LogFields = { provider: 'tencent', api: known?.api, requestId };
  const verification = verifyTc3(request, state.accounts.lookupFor('tencent'), request.receivedAt);
  if (!verification.ok) {
    const [code, message] = tencentAuthFailure(verification.failure, verification.detail);
    log.accessKeyId = verification.accessKeyId;
    return fail(log, code, message);
  }
  const caller = verification.credential;
  log.accessKeyId = caller.accessKeyId;
  log.accountId = caller.accountId;
  if (known === undefined) return fail(log, 'InvalidAction', `The requested action \`${action.slice(0, 60)}\` is not supported by the lakefn mock.`);
  const version = headerValue(request.headers, 'x-tc-version');
  if (version !== known.version) return fail(log, 'NoSuchVersion', `The action ${action} needs X-TC-Version ${known.version}, not ${String(version).slice(0, 20)}.`);
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return fail(log, 'InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(log, 'InvalidParameter', 'The request body must be a JSON object.');
  const parameters = body as Record<string, unknown>;
  if (action === 'AssumeRole') return handleTencentAssumeRole(parameters, caller, requestId, state);
  return handleScfInvoke(action === 'Invoke' ? 'Invoke' : 'InvokeFunction', parameters, caller, requestId, state, request);
}
