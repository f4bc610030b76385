import { jsonReply, type MockReply } from '../../http/mock-request.ts';
import type { VerificationFailure } from '../../signatures/verification.ts';

/** Tencent Cloud API 3.0 answers everything, errors included, as HTTP 200 `{"Response": {...}}`. */
export function tencentSuccess(fields: Record<string, unknown>, requestId: string): MockReply {
  return jsonReply(200, { Response: { ...fields, RequestId: requestId } });
}

/** `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, HTTP 200 unless a status is forced (fault `5xx`). */
export function tencentError(code: string, message: string, requestId: string, status = 200): MockReply {
  return jsonReply(status, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}

export function tencentAuthFailure(failure: VerificationFailure, detail: string): [string, string] {
  switch (failure) {
    case 'missing':
    case 'malformed':
      return ['AuthFailure.InvalidAuthorization', `The Authorization header is invalid: ${detail}`];
    case 'unknown_key':
      return ['AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.'];
    case 'invalid_token':
      return ['AuthFailure.TokenFailure', 'Token verification failed: the token does not belong to this SecretId.'];
    case 'expired_token':
      return ['AuthFailure.TokenFailure', `The token has expired. ${detail}`];
    case 'skewed':
      return ['AuthFailure.SignatureExpire', detail];
    default:
      return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.'];
  }
}
