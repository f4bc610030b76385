// Where lakefn sends each connection's calls (issue 13 §1-2), and that a host can only be built from valid labels
// (issue 10 §1): AWS partitions from the SDK's partition table, Tencent financial regions, Alibaba STS's endpoint map.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partition } from '@aws-sdk/core/client';
import { FunctionGraphRegion } from '@huaweicloud/huaweicloud-sdk-functiongraph/v2/FunctionGraphRegion.js';
import { huaweiSdkRegionTables, sdkRegionHosts } from '../../providers/huawei-functiongraph/huawei-functiongraph-endpoints.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { productionOrigin, resolveConnectionEndpoints } from '../../src/provider-utils/index.ts';
import { PROVIDERS as LISTED, providerDefinition } from '../../src/registry/providers.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';

const PROVIDERS: readonly ProviderDefinition[] = LISTED;

const hostsOf = async (provider: ProviderName, region: string, roleArn: string) => providerDefinition(provider).endpoints.hosts({ region, roleArn });
const AWS_ROLE = 'arn:aws:iam::123456789012:role/r';
const ALIYUN_ROLE = 'acs:ram::1222800000000000:role/r';
const TENCENT_ROLE = 'qcs::cam::uin/100000000001:roleName/r';
const HUAWEI_AGENCY = 'iam::0123456789abcdef0123456789abcdef:agency:r';

describe('production endpoints', () => {
  it("AWS: the catalog's partition of every known region is the SDK's", () => {
    const partitions = providerDefinition('aws').broker.partitions;
    assert.ok(partitions !== undefined);
    for (const region of providerDefinition('aws').catalog.regions.known) assert.equal(partitions.ofRegion(region), partition(region).name, region);
  });

  it('AWS: hosts come from the partition (China is amazonaws.com.cn, GovCloud amazonaws.com)', async () => {
    assert.deepEqual(await hostsOf('aws', 'us-east-1', AWS_ROLE), { sts: 'sts.us-east-1.amazonaws.com', invoke: 'lambda.us-east-1.amazonaws.com' });
    assert.deepEqual(await hostsOf('aws', 'cn-north-1', 'arn:aws-cn:iam::123456789012:role/r'), { sts: 'sts.cn-north-1.amazonaws.com.cn', invoke: 'lambda.cn-north-1.amazonaws.com.cn' });
    assert.deepEqual(await hostsOf('aws', 'cn-northwest-1', 'arn:aws-cn:iam::123456789012:role/r'), { sts: 'sts.cn-northwest-1.amazonaws.com.cn', invoke: 'lambda.cn-northwest-1.amazonaws.com.cn' });
    assert.deepEqual(await hostsOf('aws', 'us-gov-west-1', 'arn:aws-us-gov:iam::123456789012:role/r'), { sts: 'sts.us-gov-west-1.amazonaws.com', invoke: 'lambda.us-gov-west-1.amazonaws.com' });
    assert.equal(await hostsOf('aws', 'cn-north-1', AWS_ROLE), undefined, 'a role of another partition makes no host');
  });

  it('Tencent: financial regions on their regional domain, the others on the nearby-access domain', async () => {
    for (const region of ['ap-shanghai-fsi', 'ap-beijing-fsi', 'ap-shenzhen-fsi']) {
      assert.deepEqual(await hostsOf('tencent', region, TENCENT_ROLE), { sts: `sts.${region}.tencentcloudapi.com`, invoke: `scf.${region}.tencentcloudapi.com` });
    }
    assert.deepEqual(await hostsOf('tencent', 'ap-guangzhou', TENCENT_ROLE), { sts: 'sts.tencentcloudapi.com', invoke: 'scf.tencentcloudapi.com' });
  });

  it("Alibaba Cloud: STS where the STS SDK's endpoint map sends the region; FC per account and region", async () => {
    assert.deepEqual(await hostsOf('aliyun', 'ap-south-1', ALIYUN_ROLE), { sts: 'sts.aliyuncs.com', invoke: '1222800000000000.ap-south-1.fc.aliyuncs.com' });
    assert.deepEqual(await hostsOf('aliyun', 'cn-hangzhou', ALIYUN_ROLE), { sts: 'sts.cn-hangzhou.aliyuncs.com', invoke: '1222800000000000.cn-hangzhou.fc.aliyuncs.com' });
  });

  it("Huawei Cloud: the catalog's regions are the FunctionGraph SDK's, each with the SDK's FunctionGraph and IAM hosts", async () => {
    const sdkRegions = [...sdkRegionHosts(FunctionGraphRegion).keys()].sort();
    assert.ok(sdkRegions.length > 20, 'the SDK region table was read');
    assert.deepEqual([...providerDefinition('huawei').catalog.regions.known].sort(), sdkRegions);
    const tables = await huaweiSdkRegionTables();
    for (const region of sdkRegions) {
      const hosts = await hostsOf('huawei', region, HUAWEI_AGENCY);
      assert.equal(hosts?.invoke, FunctionGraphRegion.valueOf(region).endpoints[0]?.replace('https://', ''), region);
      assert.equal(hosts?.auxiliary?.iam?.host, tables.iam.get(region) ?? `iam.${region}.myhuaweicloud.com`, region);
    }
  });

  it('Huawei Cloud: hosts the SDK data gives that no pattern would (IAM in eu-west-101), STS at the nearest STS region, the regional rule for an unlisted region', async () => {
    assert.deepEqual(await hostsOf('huawei', 'eu-west-101', HUAWEI_AGENCY), {
      sts: 'sts.ap-southeast-1.myhuaweicloud.com',
      invoke: 'functiongraph.eu-west-101.myhuaweicloud.com',
      auxiliary: { iam: { host: 'iam.eu-west-101.myhuaweicloud.eu', via: 'sts' } },
    });
    assert.deepEqual(await hostsOf('huawei', 'cn-north-4', HUAWEI_AGENCY), {
      sts: 'sts.cn-north-4.myhuaweicloud.com',
      invoke: 'functiongraph.cn-north-4.myhuaweicloud.com',
      auxiliary: { iam: { host: 'iam.cn-north-4.myhuaweicloud.com', via: 'sts' } },
    });
    assert.equal((await hostsOf('huawei', 'cn-north-9', HUAWEI_AGENCY))?.sts, 'sts.cn-north-4.myhuaweicloud.com');
    assert.deepEqual(await hostsOf('huawei', 'xx-newregion-7', HUAWEI_AGENCY), {
      sts: 'sts.ap-southeast-1.myhuaweicloud.com',
      invoke: 'functiongraph.xx-newregion-7.myhuaweicloud.com',
      auxiliary: { iam: { host: 'iam.xx-newregion-7.myhuaweicloud.com', via: 'sts' } },
    });
  });
});

describe('hosts from validated labels only', () => {
  it('accepts plain DNS names and refuses anything that could steer the URL elsewhere', () => {
    assert.equal(productionOrigin('lambda.us-east-1.amazonaws.com')?.href, 'https://lambda.us-east-1.amazonaws.com/');
    for (const host of ['sts.x@127.0.0.1:19443/.aliyuncs.com', 'a:443', 'a/b', 'a..b', '.a', 'A.b', 'a_b.c', 'a b', '', 'a?b', 'a#b', `${'a'.repeat(64)}.com`, '-a.com']) {
      assert.equal(productionOrigin(host), undefined, host);
    }
  });

  for (const definition of PROVIDERS) {
    it(`${definition.id}: a tampered region is E_STORE_TAMPERED naming the connection, even behind an override`, async () => {
      const roleArn = definition.catalog.roleArn.format({ accountId: definition.broker.defaultAccountId, roleName: 'r', ...(definition.broker.partitions === undefined ? {} : { partition: definition.broker.partitions.list[0].id }) });
      for (const region of ['x@127.0.0.1:19443/', 'us-east-1.evil.example/', 'a#b']) {
        const connection = { name: 'tampered', region, roleArn };
        for (const overrides of [{}, { sts: new URL('http://127.0.0.1:1'), invoke: new URL('http://127.0.0.1:1') }]) {
          await assert.rejects(resolveConnectionEndpoints(definition, connection, overrides), (error: unknown) => {
            assert.ok(LakefnError.isInstance(error));
            assert.equal(error.code, 'E_STORE_TAMPERED');
            assert.equal(error.location.connection, 'tampered');
            assert.match(error.message, /no request was sent/);
            return true;
          });
        }
      }
    });
  }
});
