import type { ConnectionRecord } from '../spec/connection-record.ts';
import { cosAppIdOfBucket } from './code-bucket.ts';
import type { PolicyDocument } from './policy-document.ts';
import { parseRoleArn } from './role-arn.ts';

/** What a permission policy depends on. */
export type PermissionPolicySubject = Pick<ConnectionRecord, 'provider' | 'region' | 'roleArn' | 'namespace' | 'codeBucket'>;

/**
 * The least-privilege policy the customer grants the role: invoke functions in the connection's region
 * (and, on Tencent, namespace) of the customer's account, and read the code bucket when one is set.
 */
export function permissionPolicy(connection: PermissionPolicySubject): PolicyDocument {
  const { accountId, partition } = parseRoleArn(connection.provider, connection.roleArn);
  const bucket = connection.codeBucket;
  switch (connection.provider) {
    case 'aws':
      return {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'InvokeFunctions', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:${partition ?? 'aws'}:lambda:${connection.region}:${accountId}:function:*` },
          ...(bucket === null ? [] : [
            { Sid: 'ReadCodeBucket', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${partition ?? 'aws'}:s3:::${bucket}/*` },
            { Sid: 'ListCodeBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:${partition ?? 'aws'}:s3:::${bucket}` },
          ]),
        ],
      };
    case 'aliyun':
      return {
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: [`acs:fc:${connection.region}:${accountId}:functions/*`] },
          ...(bucket === null ? [] : [
            { Effect: 'Allow', Action: ['oss:GetObject'], Resource: [`acs:oss:*:${accountId}:${bucket}/*`] },
            { Effect: 'Allow', Action: ['oss:ListObjects'], Resource: [`acs:oss:*:${accountId}:${bucket}`] },
          ]),
        ],
      };
    case 'tencent':
      return {
        version: '2.0',
        statement: [
          { effect: 'allow', action: ['name/scf:InvokeFunction'], resource: [`qcs::scf:${connection.region}:uin/${accountId}:namespace/${connection.namespace}/function/*`] },
          ...(bucket === null ? [] : [
            { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:HeadObject'], resource: [`qcs::cos:${connection.region}:uid/${cosAppIdOfBucket(bucket)}:${bucket}/*`] },
          ]),
        ],
      };
  }
}
