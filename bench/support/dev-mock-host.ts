// TEMPORARY (removed once `lakefn mock --json` exists): prints the mock's info as one JSON line, serves until SIGTERM.
import { MockCloud } from '../../mocks/mock-cloud.ts';

const cloud = await MockCloud.start();
process.stdout.write(`${JSON.stringify(cloud.info())}\n`);
const stop = (): void => void cloud.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
