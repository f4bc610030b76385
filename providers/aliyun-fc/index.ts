export { createAliyunFcAdapter, type AliyunFcAdapterSettings } from './aliyun-fc-adapter.ts';
