import type { IncomingHttpHeaders } from 'node:http';
import type { ApiHandler } from '../mock-provider.ts';
import type { MockProviders } from '../mock-state.ts';

export type { ApiHandler };

/** The path prefix of the admin API (it shares the port with the cloud APIs). */
export const ADMIN_PREFIX = '/_mock';

/**
 * Picks the API for a request the way the real endpoints would differ (by path, or by the header that names the
 * action): each cloud's mock recognises its own requests, asked in PROVIDERS order; the first answer wins.
 */
export function routeApi(method: string, path: string, headers: IncomingHttpHeaders, providers: MockProviders): ApiHandler | undefined {
  for (const provider of providers.values()) {
    const handler = provider.route(method, path, headers);
    if (handler !== undefined) return handler;
  }
  return undefined;
}
