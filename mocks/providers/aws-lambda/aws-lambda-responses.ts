import type { MockReply } from '../../http/mock-request.ts';
import type { VerificationFailure } from '../../signatures/verification.ts';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

export function xmlEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

/** An awsQuery (STS) error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function stsError(status: number, code: string, message: string, requestId: string, type: 'Sender' | 'Receiver' = 'Sender'): MockReply {
  const body =
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(code)}</Code>\n` +
    `    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function stsSuccess(action: string, result: string, requestId: string): MockReply {
  const body =
    `<${action}Response xmlns="${STS_NAMESPACE}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** A restJson1 (Lambda) error: the type in `x-amzn-ErrorType`, fields in the JSON body. */
export function lambdaError(status: number, errorType: string, fields: Record<string, unknown>, requestId: string, headers: Record<string, string> = {}): MockReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType, 'x-amzn-requestid': requestId, ...headers },
    body: JSON.stringify(fields),
  };
}

/** STS's answer to a request that failed authentication. */
export function stsAuthError(failure: VerificationFailure, detail: string, requestId: string): { reply: MockReply; code: string } {
  const [status, code, message] = ((): [number, string, string] => {
    switch (failure) {
      case 'missing':
        return [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'];
      case 'malformed':
        return [400, 'IncompleteSignature', detail];
      case 'unknown_key':
      case 'invalid_token':
        return [403, 'InvalidClientTokenId', INVALID_TOKEN];
      case 'expired_token':
        return [400, 'ExpiredToken', EXPIRED_TOKEN];
      case 'skewed':
      case 'wrong_scope':
        return [403, 'SignatureDoesNotMatch', detail];
      default:
        return [403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH];
    }
  })();
  return { reply: stsError(status, code, message, requestId), code };
}

/** Lambda's answer to a request that failed authentication. */
export function lambdaAuthError(failure: VerificationFailure, detail: string, requestId: string): { reply: MockReply; code: string } {
  const [status, code, message] = ((): [number, string, string] => {
    switch (failure) {
      case 'missing':
        return [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'];
      case 'malformed':
        return [400, 'IncompleteSignatureException', detail];
      case 'unknown_key':
      case 'invalid_token':
        return [403, 'UnrecognizedClientException', INVALID_TOKEN];
      case 'expired_token':
        return [403, 'ExpiredTokenException', EXPIRED_TOKEN];
      case 'skewed':
      case 'wrong_scope':
        return [403, 'InvalidSignatureException', detail];
      default:
        return [403, 'InvalidSignatureException', SIGNATURE_MISMATCH];
    }
  })();
  return { reply: lambdaError(status, code, { message }, requestId), code };
}
