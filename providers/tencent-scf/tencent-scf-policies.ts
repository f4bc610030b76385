import type { ProviderPolicies } from '../../src/spec/provider-definition.ts';
import { cosAppIdOfBucket, parseTencentRoleArn } from './tencent-scf-catalog.ts';

/** CAM policy documents (version 2.0, lower-case keys, `name/` actions). */
export const TENCENT_POLICIES: ProviderPolicies = {
  trust(subject, brokerAccountId) {
    return {
      version: '2.0',
      statement: [{
        action: 'name/sts:AssumeRole',
        effect: 'allow',
        principal: { qcs: [`qcs::cam::uin/${brokerAccountId}:root`] },
        condition: { string_equal: { 'sts:external_id': subject.externalId } },
      }],
    };
  },
  permission(subject) {
    const accountId = parseTencentRoleArn(subject.roleArn)?.accountId ?? '';
    const bucket = subject.codeBucket;
    return {
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/scf:InvokeFunction'], resource: [`qcs::scf:${subject.region}:uin/${accountId}:namespace/${subject.namespace}/function/*`] },
        ...(bucket === null ? [] : [
          { effect: 'allow', action: ['name/cos:GetObject', 'name/cos:HeadObject'], resource: [`qcs::cos:${subject.region}:uid/${cosAppIdOfBucket(bucket)}:${bucket}/*`] },
        ]),
      ],
    };
  },
};
