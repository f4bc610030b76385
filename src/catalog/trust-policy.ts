import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { PolicyDocument } from './policy-document.ts';
import { parseRoleArn } from './role-arn.ts';

/** What a trust policy depends on: the provider, the role (for the AWS partition) and the external ID. */
export type TrustPolicySubject = Pick<ConnectionRecord, 'provider' | 'roleArn' | 'externalId'>;

/**
 * The trust policy the customer attaches to the role: only the broker's account may assume it, and only
 * when it presents this connection's external ID (the confused-deputy defence). Exactly the provider's
 * document format, ready to paste into the console.
 */
export function trustPolicy(connection: TrustPolicySubject, brokerAccountId: string): PolicyDocument {
  switch (connection.provider) {
    case 'aws': {
      const partition = parseRoleArn('aws', connection.roleArn).partition ?? 'aws';
      return {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${brokerAccountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': connection.externalId } },
        }],
      };
    }
    case 'aliyun':
      return {
        Version: '1',
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { RAM: [`acs:ram::${brokerAccountId}:root`] },
          Condition: { StringEquals: { 'sts:ExternalId': connection.externalId } },
        }],
      };
    case 'tencent':
      return {
        version: '2.0',
        statement: [{
          action: 'name/sts:AssumeRole',
          effect: 'allow',
          principal: { qcs: [`qcs::cam::uin/${brokerAccountId}:root`] },
          condition: { string_equal: { 'sts:external_id': connection.externalId } },
        }],
      };
  }
}
