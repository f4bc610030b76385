import { Pool } from 'undici';
import { LakefnError } from '../../src/errors/index.ts';
import type { ConnectionBindingV1, InvokeCallOptionsV1, InvokeResultV1, ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';
import { presignInvoke } from './presigned-invoke.ts';

/** The real adapter's binding plus what the presigned request needs of the connection. */
interface UndiciBinding extends ConnectionBindingV1 {
  readonly namespace: string;
}

/**
 * EXPERIMENT, not a product adapter: the optimisation the bench suggests, measured. Each invocation is signed at call
 * time (same signers as the ceiling: SigV4 / ACS3 / TC3) and sent over an undici Pool instead of the vendor SDK and
 * node:http. STS and everything else stay with the real adapter. Error handling is only what a clean run needs
 * (status and the providers' function-error markers); it is no substitute for the real adapters' classification.
 */
export function createUndiciInvokeAdapter(provider: ProviderName, real: ProviderAdapterV1, origin: string, connections: number): ProviderAdapterV1<UndiciBinding> {
  const pool = new Pool(origin, { connections, keepAliveTimeout: 60_000 });
  const host = new URL(origin).host;
  const functionErrorHeader = provider === 'aws' ? 'x-amz-function-error' : 'x-fc-error-type';
  return {
    specificationVersion: 'v1',
    provider,
    limits: real.limits,
    bindConnection: async (connection) => ({ ...(await real.bindConnection(connection)), namespace: connection.namespace }),
    doAssumeRole: (options) => real.doAssumeRole(options),
    async doInvoke(options: InvokeCallOptionsV1<UndiciBinding>): Promise<InvokeResultV1> {
      const { binding } = options;
      const request = presignInvoke({ provider, credentials: options.credentials, region: binding.region, namespace: binding.namespace, functionName: options.functionName, host }, options.payload);
      const startedAt = performance.now();
      const response = await pool.request({ method: 'POST', path: request.path, headers: request.headers, body: request.body, headersTimeout: options.timeoutMs, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) });
      const body = Buffer.from(await response.body.arrayBuffer());
      const durationMs = performance.now() - startedAt;
      const failure = (detail: string): LakefnError =>
        new LakefnError(response.statusCode === 429 ? 'E_THROTTLED' : response.statusCode >= 500 ? 'E_PROVIDER_UNAVAILABLE' : 'E_PROVIDER_CALL', `${provider} invoke of ${options.functionName}: ${detail}`, {
          provider: { status: response.statusCode },
        });
      if (response.statusCode !== 200) throw failure(`HTTP ${response.statusCode}`);
      if (provider !== 'tencent') {
        if (response.headers[functionErrorHeader] !== undefined) throw new LakefnError('E_REMOTE_FUNCTION_ERROR', `function ${options.functionName} failed`);
        return { payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), durationMs };
      }
      const reply = JSON.parse(body.toString('utf8')) as { Response?: { Error?: { Code?: string }; Result?: { RetMsg?: string; ErrMsg?: string } } };
      const code = reply.Response?.Error?.Code;
      if (code !== undefined) throw new LakefnError(code.startsWith('RequestLimitExceeded') ? 'E_THROTTLED' : 'E_PROVIDER_CALL', `tencent invoke of ${options.functionName}: ${code}`);
      if ((reply.Response?.Result?.ErrMsg ?? '') !== '') throw new LakefnError('E_REMOTE_FUNCTION_ERROR', `function ${options.functionName} failed`);
      return { payload: Buffer.from(reply.Response?.Result?.RetMsg ?? '', 'utf8'), durationMs };
    },
    async close() {
      await pool.close();
    },
  };
}
