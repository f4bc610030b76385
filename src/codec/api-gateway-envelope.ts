import { LakefnError } from '../errors/index.ts';
import type { FunctionEnvelope, FunctionProperties, FunctionRecord } from '../spec/function-record.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';
import { formatSqlType } from '../spec/sql-type.ts';
import { quoteShort } from './value-mismatch.ts';
import type { BatchContext } from './wire-codec.ts';

/** Error text of a non-2xx answer kept in the error's data (the message shows less). */
const MAX_BODY_EXCERPT = 2000;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * API Gateway's REST (v1) Lambda proxy integration around a wire body, as Snowflake's external functions reach a
 * Lambda: the function receives the proxy event (the request body as a string in `body`, Snowflake's
 * `sf-external-function-*` headers) and returns `{"statusCode": 200, "body": "<json>"}` (Snowflake's "Sample
 * synchronous Lambda function" reads `event["body"]`; the headers are those of Snowflake's "Remote service input and
 * output data formats"). lakefn plays API Gateway's part: it wraps each batch, and opens each answer, where a non-2xx
 * `statusCode` is that HTTP status coming back from the gateway.
 */
export interface ApiGatewayEnvelope {
  /** Bytes the event adds around a batch whose wire head and tail are given (per batch: the headers carry its ids). */
  overheadBytes(context: BatchContext, head: string, tail: string): number;
  /** The event around the wire text of one batch. */
  wrap(wireText: string, context: BatchContext): string;
  /**
   * The wire body inside a proxy answer. A non-2xx `statusCode` is an error with that status: 429 E_THROTTLED, 5xx a
   * retryable E_REMOTE_FUNCTION_ERROR (engines retry both), other statuses a final E_REMOTE_FUNCTION_ERROR. An answer
   * that is not `{statusCode, body}` is E_BAD_RESPONSE (API Gateway would answer 502, "Malformed Lambda proxy
   * response").
   */
  unwrap(reply: Uint8Array): Uint8Array;
}

/** Bytes a wire text grows by as a JSON string's content: one per `"` and `\` (its control characters are escaped already). */
export function escapedGrowth(text: string): number {
  let growth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 || code === 0x5c) growth += 1;
  }
  return growth;
}

/** The API Gateway proxy envelope of `fn` (its name, signature and return type go into Snowflake's headers). */
export function createApiGatewayEnvelope(fn: FunctionRecord): ApiGatewayEnvelope {
  const name = fn.name.toUpperCase();
  const signature = `(${fn.arguments.map((argument) => `${argument.name.toUpperCase()} ${formatSqlType(argument.type)}`).join(', ')})`;
  const returnType = formatSqlType(fn.returnType);
  const fixedHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'sf-external-function-format': 'json',
    'sf-external-function-format-version': '1.0',
    'sf-external-function-name': name,
    'sf-external-function-name-base64': Buffer.from(name).toString('base64'),
    'sf-external-function-signature': signature,
    'sf-external-function-signature-base64': Buffer.from(signature).toString('base64'),
    'sf-external-function-return-type': returnType,
    'sf-external-function-return-type-base64': Buffer.from(returnType).toString('base64'),
  };
  const description = `function ${fn.name} (format ${fn.properties.format}, envelope api_gateway)`;

  /** The event's JSON text before and after the body string's content. */
  const frame = (context: BatchContext): { readonly before: string; readonly after: string } => {
    const headers: Record<string, string> = {
      ...fixedHeaders,
      'sf-external-function-current-query-id': context.queryId,
      'sf-external-function-query-batch-id': context.batchId,
      ...(context.user === '' ? {} : { 'sf-context-current-user': context.user }),
    };
    const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]]));
    const event = {
      resource: '/',
      path: '/',
      httpMethod: 'POST',
      headers,
      multiValueHeaders,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: { resourcePath: '/', httpMethod: 'POST', path: '/', stage: 'lakefn', protocol: 'HTTP/1.1', requestId: context.batchId },
      body: '',
      isBase64Encoded: false,
    };
    const text = JSON.stringify(event);
    const marker = text.indexOf('"body":""') + '"body":"'.length;
    return { before: text.slice(0, marker), after: text.slice(marker) };
  };

  return {
    overheadBytes(context, head, tail) {
      const { before, after } = frame(context);
      return Buffer.byteLength(before) + Buffer.byteLength(after) + escapedGrowth(head) + escapedGrowth(tail);
    },
    wrap(wireText, context) {
      const { before, after } = frame(context);
      return before + JSON.stringify(wireText).slice(1, -1) + after;
    },
    unwrap(reply) {
      let answer: unknown;
      try {
        answer = JSON.parse(UTF8.decode(reply));
      } catch {
        throw malformed(description, 'is not JSON');
      }
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw malformed(description, 'is not a JSON object');
      const fields = answer as Record<string, unknown>;
      const status = statusOf(fields['statusCode']);
      if (status === undefined) throw malformed(description, 'has no integer "statusCode"');
      const body = fields['body'];
      if (body !== undefined && body !== null && typeof body !== 'string') throw malformed(description, '"body" is not a string');
      const text = typeof body === 'string' ? body : '';
      const bytes = fields['isBase64Encoded'] === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
      if (status >= 200 && status <= 299) return bytes;
      throw statusError(description, status, bytes);
    },
  };
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

function malformed(description: string, problem: string): LakefnError {
  return new LakefnError(
    'E_BAD_RESPONSE',
    `${description} answered a proxy response that ${problem} (API Gateway would answer 502 "Malformed Lambda proxy response"); the function must return {"statusCode": 200, "body": "<reply JSON as a string>"}`,
  );
}

function statusError(description: string, status: number, body: Uint8Array): LakefnError {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const excerpt = text.length === 0 ? '' : `: ${quoteShort(text, 300)}`;
  const data = { statusCode: status, body: text.slice(0, MAX_BODY_EXCERPT) };
  if (status === 429) {
    return new LakefnError('E_THROTTLED', `${description} answered statusCode 429 through its proxy response${excerpt}; lakefn retries with backoff and lowers its concurrency`, { data });
  }
  const retryable = status >= 500;
  return new LakefnError(
    'E_REMOTE_FUNCTION_ERROR',
    `${description} answered statusCode ${status} through its proxy response${excerpt}` + (retryable ? ' (a server error: lakefn retries it)' : '; fix the function or its input'),
    { retryable, data },
  );
}

/**
 * The envelope a function's batches travel in: its `envelope` property when set, else what its connection's provider
 * gives that format (ProviderDefinition.envelopes: Snowflake-format functions on Lambda sit behind API Gateway), else
 * 'none'.
 */
export function resolveFunctionEnvelope(properties: FunctionProperties, provider: Pick<ProviderDefinition, 'envelopes'>): FunctionEnvelope {
  return properties.envelope ?? provider.envelopes?.[properties.format] ?? 'none';
}
