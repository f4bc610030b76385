import { randomBytes } from 'node:crypto';
import { jsonReply, type MockReply } from '../../http/mock-request.ts';
import type { VerificationFailure } from '../../signatures/verification.ts';

/** A Huawei Cloud request id: 32 hex characters. */
export function huaweiRequestId(): string {
  return randomBytes(16).toString('hex');
}

/** `{"error_code","error_msg","request_id"}`, as FunctionGraph, STS and the API gateway answer; `X-Request-Id` too. */
export function huaweiError(status: number, code: string, message: string, requestId: string, extra: Record<string, string> = {}): MockReply {
  return jsonReply(status, { error_code: code, error_msg: message, request_id: requestId, ...extra }, { 'x-request-id': requestId });
}

/**
 * How the API gateway in front of every service refuses a request it cannot authenticate: HTTP 401, `APIGW.0301`
 * ("Incorrect IAM authentication information", APIG error codes), the detail after a colon. The exact texts per case
 * are the mock's.
 */
export function huaweiAuthFailure(failure: VerificationFailure, detail: string): [number, string, string] {
  switch (failure) {
    case 'unknown_key':
      return [401, 'APIGW.0301', `Incorrect IAM authentication information: ak ${detail.replace(/^access key (\S+).*$/, '$1')} not found`];
    case 'invalid_token':
    case 'expired_token':
      return [401, 'APIGW.0301', `Incorrect IAM authentication information: decrypt token fail or token expired (${detail})`];
    case 'skewed':
      return [401, 'APIGW.0301', `Incorrect IAM authentication information: verify aksk signature fail, signature expired (${detail})`];
    default:
      return [401, 'APIGW.0301', `Incorrect IAM authentication information: verify aksk signature fail (${detail})`];
  }
}
