import type { ProviderPolicies } from '../../src/spec/provider-definition.ts';
import { parseAgencyUrn } from './huawei-functiongraph-catalog.ts';

/**
 * IAM 5.0 documents (`"Version": "5.0"`).
 *
 * Trust policy of the customer's trust agency: the grammar of CreateAgencyV5 / UpdateTrustPolicyV5
 * (support.huaweicloud.com/api-iam5/CreateAgencyV5.html: `Principal` `{"IAM": [<account id>…]}`, `Action`,
 * `Condition` `{<operator>: {<key>: <value>}}`), the action `sts:agencies:assume` and the condition key
 * `sts:ExternalId` of AssumeAgency (support.huaweicloud.com/api-iam5/AssumeAgency.html, "Authorization information"),
 * which Huawei documents for the confused-deputy case (usermanual-iam5/iam_01_1237.html, iam_01_1163.html: "External
 * ID" on a trust agency). Without the condition, every principal of the trusted account may switch in
 * (usermanual-iam5/iam_01_1163.html).
 */
export const HUAWEI_POLICIES: ProviderPolicies = {
  trust(subject, brokerAccountId) {
    return {
      Version: '5.0',
      Statement: [{
        Effect: 'Allow',
        Principal: { IAM: [brokerAccountId] },
        Action: ['sts:agencies:assume'],
        Condition: { StringEquals: { 'sts:ExternalId': subject.externalId } },
      }],
    };
  },
  /**
   * Invoking the functions of the connection's package (`functiongraph:function:invoke`, FunctionGraph's IAM actions,
   * support.huaweicloud.com/api-functiongraph/functiongraph_06_1100.html) and reading the code bucket (OBS 5.0 actions
   * as in usermanual-iam5/iam_01_1241.html).
   */
  permission(subject) {
    const accountId = parseAgencyUrn(subject.roleArn)?.accountId ?? '';
    const bucket = subject.codeBucket;
    return {
      Version: '5.0',
      Statement: [
        { Effect: 'Allow', Action: ['functiongraph:function:invoke'], Resource: [`functiongraph:${subject.region}:${accountId}:function:${subject.namespace}/*`] },
        ...(bucket === null ? [] : [
          { Effect: 'Allow', Action: ['obs:bucket:listBucket'], Resource: [`obs:*:*:bucket:${bucket}`] },
          { Effect: 'Allow', Action: ['obs:object:getObject'], Resource: [`obs:*:*:object:${bucket}/*`] },
        ]),
      ],
    };
  },
};
