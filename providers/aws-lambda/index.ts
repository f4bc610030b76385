import type { ProviderAdapterV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import { AWS_CATALOG_RULES, AWS_PARTITIONS } from './aws-lambda-catalog.ts';
import { AWS_ENDPOINTS } from './aws-lambda-endpoints.ts';
import { AWS_ERRORS } from './aws-lambda-errors.ts';
import { AWS_POLICIES } from './aws-lambda-policies.ts';

const MIB = 1024 * 1024;

/** AWS Lambda with AWS STS, in the aws, aws-cn and aws-us-gov partitions. */
const awsLambda = {
  specificationVersion: 'v1',
  id: 'aws',
  folder: 'aws-lambda',
  names: { cloud: 'AWS', services: { sts: 'AWS STS', invoke: 'AWS Lambda' }, environmentPrefix: 'AWS' },
  endpoints: AWS_ENDPOINTS,
  // Lambda's synchronous request and response limit is 6 MB (6,291,456 bytes); a reply travels as is, plus headroom.
  limits: { maxRequestBytes: 6 * MIB, maxReplyBytes: 6 * MIB, maxReplyWireBytes: 7 * MIB },
  errors: AWS_ERRORS,
  catalog: AWS_CATALOG_RULES,
  broker: {
    keyVariables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    defaultAccountId: '000000000001',
    accountId: { pattern: /^\d{12}$/, maxLength: 12, description: 'an AWS account id of 12 digits' },
    partitions: AWS_PARTITIONS,
  },
  policies: AWS_POLICIES,
  // Snowflake reaches a Lambda through API Gateway's proxy integration, so a Lambda written for Snowflake reads
  // event["body"] and returns {statusCode, body} (Snowflake's "Sample synchronous Lambda function").
  envelopes: { snowflake: 'api_gateway' },
  options: [
    {
      name: 'sts_region',
      description: "where AssumeRole falls back to when the connection region's STS is deactivated (RegionDisabledException): 'default' (each partition's default STS region) or a region id such as us-east-1",
      pattern: /^(?:default|[a-z]{2}(?:-[a-z]+){1,2}-\d{1,2})$/,
      maxLength: 32,
    },
  ],
  async createAdapter(settings): Promise<ProviderAdapterV1> {
    const { createAwsLambdaAdapter } = await import('./aws-lambda-adapter.ts');
    return createAwsLambdaAdapter(awsLambda, settings);
  },
} as const satisfies ProviderDefinition;

export default awsLambda;
