// `node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top N]`: self time of a V8 CPU profile (from
// `node --cpu-prof`) grouped by where the code lives (npm package, lakefn directory, node internals) and by function.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

/** `npm:<package>`, `lakefn:<top directory>/<sub directory>`, `node:<module>`, or V8's pseudo-frames such as `(garbage collector)`. */
function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return `npm:${parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).replace(/^internal\//, '').split('/')[0] ?? ''}`;
  const match = /\/(src|providers|mocks|bench)\/([^/]+)/.exec(url);
  return match === null ? url : `lakefn:${match[1]}/${match[2]!.replace(/\.ts$/, '')}`;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const path = positionals[0];
if (path === undefined) throw new Error('usage: profile-summary.ts FILE.cpuprofile [--top N]');
const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
const totalSamples = profile.samples?.length ?? profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const microsPerSample = (profile.endTime - profile.startTime) / Math.max(1, totalSamples);
const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const place = placeOf(url, functionName);
  byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  const name = `${functionName || '(anonymous)'} ${place}${url === '' ? '' : `:${lineNumber + 1}`}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
}
const top = Number(values.top);
const busy = totalSamples - (byPlace.get('(idle)') ?? 0);
const print = (title: string, entries: Map<string, number>): void => {
  process.stdout.write(`\n${title} (share of non-idle samples; ${((busy * microsPerSample) / 1e6).toFixed(2)} s busy of ${((totalSamples * microsPerSample) / 1e6).toFixed(2)} s)\n`);
  for (const [key, hits] of [...entries].filter(([key]) => key !== '(idle)' && !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * hits) / Math.max(1, busy)).toFixed(1).padStart(6)} %  ${key}\n`);
  }
};
print('Self time by place', byPlace);
print('Self time by function', byFunction);
