import { MockCloud } from './mocks/mock-cloud.ts';
import * as c from './test/mocks/sdk-clients.ts';
const cloud = await MockCloud.start({ log: true });
const broker = cloud.brokerAccounts, customer = cloud.customerAccounts;
const ext = 'lakefn-ext-123';
cloud.putRole({ provider: 'aws', roleArn: `arn:aws:iam::${customer.aws.accountId}:role/lakefn`, trustPolicy: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":`arn:aws:iam::${broker.aws.accountId}:root`},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":ext}}}]} });
cloud.putRole({ provider: 'aliyun', roleArn: `acs:ram::${customer.aliyun.accountId}:role/lakefn`, trustPolicy: {"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":[`acs:ram::${broker.aliyun.accountId}:root`]},"Condition":{"StringEquals":{"sts:ExternalId":ext}}}]} });
cloud.putRole({ provider: 'tencent', roleArn: `qcs::cam::uin/${customer.tencent.accountId}:roleName/lakefn`, trustPolicy: {"version":"2.0","statement":[{"action":"name/sts:AssumeRole","effect":"allow","principal":{"qcs":[`qcs::cam::uin/${broker.tencent.accountId}:root`]},"condition":{"string_equal":{"sts:external_id":ext}}}]} });
cloud.putFunction({ provider: 'aws', accountId: customer.aws.accountId, region: 'us-east-1', name: 'upper', builtin: 'upper' });
cloud.putFunction({ provider: 'aliyun', accountId: customer.aliyun.accountId, region: 'cn-shanghai', name: 'upper', builtin: 'upper' });
cloud.putFunction({ provider: 'tencent', accountId: customer.tencent.accountId, region: 'ap-guangzhou', name: 'upper', builtin: 'upper' });
const payload = { lakefn: 1, batch_id: 'b1', rows: [['a'], [null], ['c']] };
try {
  const awsKeys = await c.awsAssumeRole(c.awsStsClient(cloud, c.keysOf(broker.aws)), `arn:aws:iam::${customer.aws.accountId}:role/lakefn`, ext);
  console.log('aws', (await c.lambdaInvoke(c.lambdaClient(cloud, awsKeys), 'upper', payload)).json);
} catch (e) { console.log('aws fail', e); }
try {
  const keys = await c.aliyunAssumeRole(c.aliyunStsClient(cloud, c.keysOf(broker.aliyun)), `acs:ram::${customer.aliyun.accountId}:role/lakefn`, ext);
  console.log('aliyun', await c.fcInvoke(c.fcClient(cloud, keys), 'upper', payload));
} catch (e) { console.log('aliyun fail', e); }
try {
  const keys = await c.tencentAssumeRole(c.tencentStsClient(cloud, c.keysOf(broker.tencent)), `qcs::cam::uin/${customer.tencent.accountId}:roleName/lakefn`, ext);
  const client = c.scfClient(cloud, keys);
  console.log('tencent', await client.Invoke({ FunctionName: 'upper', ClientContext: JSON.stringify(payload), Namespace: 'default' }));
  console.log('tencent2', await c.scfClient(cloud, keys, {realisticHost:false}).InvokeFunction({ FunctionName: 'upper', Event: JSON.stringify(payload) }));
} catch (e) { console.log('tencent fail', e); }
console.log(cloud.counters());
await cloud.stop();
c.loopbackAgent.destroy();
