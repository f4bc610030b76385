import type { IncomingHttpHeaders } from 'node:http';
import { handleAliyunSts } from '../handlers/aliyun-sts-handler.ts';
import { handleFcInvoke, isFcInvokePath } from '../handlers/aliyun-fc-handler.ts';
import { handleAwsSts } from '../handlers/aws-sts-handler.ts';
import { handleLambdaInvoke, isLambdaInvokePath } from '../handlers/aws-lambda-handler.ts';
import { handleTencentApi } from '../handlers/tencent-api-handler.ts';
import type { MockState } from '../mock-state.ts';
import type { HandlerResult, MockRequest } from './mock-request.ts';

export type ApiHandler = (request: MockRequest, state: MockState) => HandlerResult | Promise<HandlerResult>;

/** The path prefix of the admin API (it shares the port with the cloud APIs). */
export const ADMIN_PREFIX = '/_mock';

/**
 * Picks the API for a request, the way the six real endpoints would differ: by path (Lambda, FC), by `X-TC-Action`
 * (Tencent STS and SCF), by `x-acs-action` (Aliyun STS), else a SigV4-signed or form POST to `/` (AWS STS).
 */
export function routeApi(method: string, path: string, headers: IncomingHttpHeaders): ApiHandler | undefined {
  if (method !== 'POST') return undefined;
  if (isLambdaInvokePath(path)) return handleLambdaInvoke;
  if (isFcInvokePath(path)) return handleFcInvoke;
  if (path !== '/') return undefined;
  if (headers['x-tc-action'] !== undefined) return handleTencentApi;
  if (headers['x-acs-action'] !== undefined) return handleAliyunSts;
  const authorization = headers.authorization ?? '';
  const contentType = headers['content-type'] ?? '';
  if (authorization.startsWith('AWS4-') || contentType.startsWith('application/x-www-form-urlencoded')) return handleAwsSts;
  return undefined;
}
