// `npm run docs:actions`: writes docs/authorization-actions.md from the action catalog (src/governance/policy/).
// test/governance/policy/action-reference.test.ts fails when the committed page differs from what this writes.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_REFERENCE_PATH, renderActionReference } from '../src/governance/policy/index.ts';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', ACTION_REFERENCE_PATH);
await mkdir(dirname(path), { recursive: true });
await writeFile(path, renderActionReference());
process.stdout.write(`wrote ${ACTION_REFERENCE_PATH}\n`);
