#!/usr/bin/env node
// The published entry point: lakefn runs its TypeScript sources through tsx's loader, so a fresh
// clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
