import { Worker, type Transferable } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module. lakefn runs from source through tsx, but a worker does not
 * inherit loader hooks registered programmatically (bin/lakefn.js uses tsx's `register()`), so the worker first
 * registers tsx itself and then imports the module. Harmless when the parent also ran with `--import tsx`.
 */
export function startTypeScriptWorker(moduleUrl: URL, workerData: unknown, transferList: readonly Transferable[]): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, transferList: [...transferList] });
}
