import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { register as registerSqlExecute } from './commands/sql-execute.ts';
import { register as registerConnectionCreate } from './commands/connection-create.ts';
import { register as registerConnectionList } from './commands/connection-list.ts';
import { register as registerConnectionDesc } from './commands/connection-desc.ts';
import { register as registerConnectionAlter } from './commands/connection-alter.ts';
import { register as registerConnectionRotate } from './commands/connection-rotate.ts';
import { register as registerConnectionValidate } from './commands/connection-validate.ts';
import { register as registerConnectionDrop } from './commands/connection-drop.ts';
import { register as registerFunctionList } from './commands/function-list.ts';
import { register as registerFunctionDesc } from './commands/function-desc.ts';
import { register as registerFunctionDrop } from './commands/function-drop.ts';
import { register as registerMockStart } from './commands/mock-start.ts';
import { register as registerInvokeFunction } from './commands/invoke-function.ts';
import { register as registerQueryRun } from './commands/query-run.ts';
import { register as registerServeStart } from './commands/serve-start.ts';
import { register as registerDemoRun } from './commands/demo-run.ts';
import { register as registerStoreRotateKey } from './commands/store-rotate-key.ts';

type RegisterCommand = (program: Command, context: CliContext) => void;

/** Every CLI sub-command module, in the order `lakefn --help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerSqlExecute,
  registerConnectionCreate,
  registerConnectionList,
  registerConnectionDesc,
  registerConnectionAlter,
  registerConnectionRotate,
  registerConnectionValidate,
  registerConnectionDrop,
  registerFunctionList,
  registerFunctionDesc,
  registerFunctionDrop,
  registerMockStart,
  registerInvokeFunction,
  registerQueryRun,
  registerServeStart,
  registerDemoRun,
  registerStoreRotateKey,
];
