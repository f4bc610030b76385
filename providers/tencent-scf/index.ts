export { createTencentScfAdapter, type TencentScfAdapterSettings } from './tencent-scf-adapter.ts';
