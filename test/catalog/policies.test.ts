import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permissionPolicy, trustPolicy } from '../../src/catalog/index.ts';

const EXTERNAL_ID = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

describe('trustPolicy', () => {
  it('AWS: broker root principal in the role partition, sts:ExternalId condition', () => {
    assert.deepEqual(trustPolicy({ provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/r', externalId: EXTERNAL_ID }, '000000000001'), {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000001:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
    });
    const china = trustPolicy({ provider: 'aws', roleArn: 'arn:aws-cn:iam::123456789012:role/r', externalId: EXTERNAL_ID }, '000000000001');
    assert.match(JSON.stringify(china), /"arn:aws-cn:iam::000000000001:root"/);
  });

  it('Alibaba Cloud: Version 1, Principal.RAM', () => {
    assert.deepEqual(trustPolicy({ provider: 'aliyun', roleArn: 'acs:ram::1222800000000000:role/r', externalId: EXTERNAL_ID }, '1000000000000001'), {
      Version: '1',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: ['acs:ram::1000000000000001:root'] }, Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
    });
  });

  it('Tencent Cloud: version 2.0, principal.qcs, string_equal sts:external_id', () => {
    assert.deepEqual(trustPolicy({ provider: 'tencent', roleArn: 'qcs::cam::uin/100000000009:roleName/r', externalId: EXTERNAL_ID }, '100000000001'), {
      version: '2.0',
      statement: [{ action: 'name/sts:AssumeRole', effect: 'allow', principal: { qcs: ['qcs::cam::uin/100000000001:root'] }, condition: { string_equal: { 'sts:external_id': EXTERNAL_ID } } }],
    });
  });
});

describe('permissionPolicy', () => {
  it('AWS: invoke in the region and account, read the bucket when set', () => {
    const subject = { provider: 'aws', region: 'cn-north-1', roleArn: 'arn:aws-cn:iam::123456789012:role/r', namespace: 'default', codeBucket: 'code' } as const;
    assert.deepEqual(permissionPolicy(subject), {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'InvokeFunctions', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:*' },
        { Sid: 'ReadCodeBucket', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-cn:s3:::code/*' },
        { Sid: 'ListCodeBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws-cn:s3:::code' },
      ],
    });
    assert.equal((permissionPolicy({ ...subject, codeBucket: null }).Statement as unknown[]).length, 1);
  });

  it('Alibaba Cloud: fc:InvokeFunction on functions/* and oss read', () => {
    const policy = permissionPolicy({ provider: 'aliyun', region: 'cn-shanghai', roleArn: 'acs:ram::1222800000000000:role/r', namespace: 'default', codeBucket: 'my-bucket' });
    assert.deepEqual(policy, {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: ['acs:fc:cn-shanghai:1222800000000000:functions/*'] },
        { Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1222800000000000:my-bucket/*'] },
        { Effect: 'Allow', Action: ['oss:ListObjects'], Resource: ['acs:oss:*:1222800000000000:my-bucket'] },
      ],
    });
  });

  it('Tencent Cloud: scf:InvokeFunction in the namespace and cos read with the bucket APPID', () => {
    const policy = permissionPolicy({ provider: 'tencent', region: 'ap-beijing', roleArn: 'qcs::cam::uin/100000000009:roleName/r', namespace: 'udf', codeBucket: 'myfunction-1310000000' });
    assert.deepEqual(policy, {
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/scf:InvokeFunction'], resource: ['qcs::scf:ap-beijing:uin/100000000009:namespace/udf/function/*'] },
        { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:HeadObject'], resource: ['qcs::cos:ap-beijing:uid/1310000000:myfunction-1310000000/*'] },
      ],
    });
  });
});
