import type { ProviderPolicies } from '../../src/spec/provider-definition.ts';
import { parseAwsRoleArn } from './aws-lambda-catalog.ts';

/** IAM documents in the role's partition (`arn:aws-cn:…` for China): a principal of another partition does not exist there. */
export const AWS_POLICIES: ProviderPolicies = {
  trust(subject, brokerAccountId) {
    const partition = parseAwsRoleArn(subject.roleArn)?.partition ?? 'aws';
    return {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${brokerAccountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': subject.externalId } },
      }],
    };
  },
  permission(subject) {
    const role = parseAwsRoleArn(subject.roleArn);
    const partition = role?.partition ?? 'aws';
    const bucket = subject.codeBucket;
    return {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'InvokeFunctions', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:${partition}:lambda:${subject.region}:${role?.accountId ?? ''}:function:*` },
        ...(bucket === null ? [] : [
          { Sid: 'ReadCodeBucket', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${partition}:s3:::${bucket}/*` },
          { Sid: 'ListCodeBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:${partition}:s3:::${bucket}` },
        ]),
      ],
    };
  },
};
