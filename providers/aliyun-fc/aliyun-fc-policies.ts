import type { ProviderPolicies } from '../../src/spec/provider-definition.ts';
import { parseAliyunRoleArn } from './aliyun-fc-catalog.ts';

/** RAM policy documents (Version 1). */
export const ALIYUN_POLICIES: ProviderPolicies = {
  trust(subject, brokerAccountId) {
    return {
      Version: '1',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { RAM: [`acs:ram::${brokerAccountId}:root`] },
        Condition: { StringEquals: { 'sts:ExternalId': subject.externalId } },
      }],
    };
  },
  permission(subject) {
    const accountId = parseAliyunRoleArn(subject.roleArn)?.accountId ?? '';
    const bucket = subject.codeBucket;
    return {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['fc:InvokeFunction'], Resource: [`acs:fc:${subject.region}:${accountId}:functions/*`] },
        ...(bucket === null ? [] : [
          { Effect: 'Allow', Action: ['oss:GetObject'], Resource: [`acs:oss:*:${accountId}:${bucket}/*`] },
          { Effect: 'Allow', Action: ['oss:ListObjects'], Resource: [`acs:oss:*:${accountId}:${bucket}`] },
        ]),
      ],
    };
  },
};
