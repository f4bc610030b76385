export { createAwsLambdaAdapter, type AwsLambdaAdapterSettings } from './aws-lambda-adapter.ts';
