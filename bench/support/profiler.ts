import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Profiles a piece of work on this thread with V8's sampling profiler (the same data as `node --cpu-prof`, but only
 * for the measured run, without start-up and module loading) and writes `<directory>/<name>.cpuprofile`.
 * Summarise with `node --import tsx bench/profile-summary.ts FILE`.
 */
export async function profiled<T>(directory: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (directory === undefined) return work();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const value = await work();
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(directory, `${name}.cpuprofile`), JSON.stringify(profile));
    return value;
  } finally {
    session.disconnect();
  }
}
