export * from './provider-name.ts';
export * from './connection-record.ts';
export * from './function-record.ts';
export * from './sql-type.ts';
export * from './temporary-credentials.ts';
export * from './provider-adapter-v1.ts';
export * from './provider-definition.ts';
export * from './policy-document.ts';
