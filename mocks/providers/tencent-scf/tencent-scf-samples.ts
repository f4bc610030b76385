import type { ProviderSamples } from '../../mock-provider.ts';

/** Tencent Cloud SCF's catalog rules by example (CAM role ARNs, namespaces, COS bucket names, SCF function names). */
export const TENCENT_SAMPLES: ProviderSamples = {
  connection: { region: 'ap-beijing', roleArn: 'qcs::cam::uin/100000000001:roleName/LakehouseRole', namespace: 'default', codeBucket: 'myfunction-1310000000', comment: null },
  roleArnAccounts: [{ roleArn: 'qcs::cam::uin/100000000001:roleName/LakehouseRole', accountId: '100000000001' }],
  regions: { valid: ['ap-guangzhou', 'ap-shanghai-fsi', 'na-siliconvalley', 'eu-frankfurt'], invalid: ['cn-shanghai', 'ap-mars', 'ap-beijing-1', 'AP-BEIJING', 'ap-beijing '] },
  roleArns: {
    valid: ['qcs::cam::uin/12345:roleName/r', 'qcs::cam::uin/100000000001:roleName/Role_name+=,.@-x'],
    invalid: [
      'qcs::cam::uin/1234:roleName/r', 'qcs::cam::uin/100000000001:role/123', 'qcs::cam::uin/100000000001:roleName/', 'qcs::cam::uin/abc:roleName/r',
      'qcs::cam::uin/100000000001:roleName/a/b', `qcs::cam::uin/100000000001:roleName/${'r'.repeat(129)}`, 'qcs::cam::uin/100000000001:roleName/r\u0000',
    ],
  },
  namespaces: { valid: ['default', 'ns', 'My_ns-01', `a${'b'.repeat(29)}`], invalid: ['', 'a', '1ns', 'ns-', 'ns_', 'n s', `a${'b'.repeat(30)}`, 'ns\u007f'] },
  codeBuckets: {
    valid: [null, 'myfunction-1310000000', 'my-fn-12345', `${'a'.repeat(50)}-1250000000`],
    invalid: ['myfunction', 'myfunction-', '-1310000000', 'my_fn-1310000000', 'MyFn-1310000000', 'fn--1310000000', 'fn-1234', 'fn-12a45', `${'a'.repeat(51)}-1250000000`],
  },
  functionNames: { valid: ['fn', 'my-function_1', `a${'b'.repeat(58)}c`], invalid: ['f', '_fn', '1fn', 'fn-', 'fn_', 'my.fn', `a${'b'.repeat(59)}c`] },
  qualifiers: { valid: ['$LATEST'], invalid: [] },
};
