import { jsonReply, type MockReply } from '../../http/mock-request.ts';
import type { VerificationFailure } from '../../signatures/verification.ts';

/** An Alibaba Cloud RPC (POP) error, as STS returns it. */
export function aliyunStsError(status: number, code: string, message: string, requestId: string): MockReply {
  return jsonReply(status, {
    RequestId: requestId,
    HostId: 'sts.aliyuncs.com',
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Sts`,
  });
}

/** An FC 3.0 API error: `{"Code","Message","RequestId"}` (the SDK reads only `Code`). */
export function fcError(status: number, code: string, message: string, requestId: string): MockReply {
  return jsonReply(status, { Code: code, Message: message, RequestId: requestId }, { 'x-fc-request-id': requestId });
}

/** Status, code and message of an authentication failure; STS uses the POP gateway's codes, FC its 403 family. */
export function aliyunAuthFailure(failure: VerificationFailure, detail: string, api: 'sts' | 'fc'): [number, string, string] {
  const status = api === 'fc' ? 403 : 400;
  switch (failure) {
    case 'missing':
    case 'malformed':
      return [status, 'IncompleteSignature', `The request signature does not conform to Aliyun standards: ${detail}`];
    case 'unknown_key':
      return api === 'fc' ? [403, 'InvalidAccessKeyID', 'invalid access key id'] : [404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'];
    case 'invalid_token':
      return [status, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'];
    case 'expired_token':
      return [status, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'];
    case 'skewed':
      return [status, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired. ${detail}`];
    case 'nonce_reused':
      return [status, 'SignatureNonceUsed', 'Specified signature nonce was used already.'];
    default:
      return api === 'fc'
        ? [403, 'SignatureNotMatch', 'The request signature we calculated does not match the signature you provided.']
        : [400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.'];
  }
}
