const REDACTED = '[REDACTED]';
const MAX_MESSAGE_LENGTH = 1000;
// Secrets shorter than this are not redacted: replacing 3-character strings would garble messages.
const MIN_SECRET_LENGTH = 8;

/**
 * A vendor SDK error reduced to safe facts, used as the `cause` of lakefn's provider errors. The SDK
 * objects themselves are not kept: they hold request objects, response streams, sockets and, for
 * some SDKs, the signed request (Aliyun keeps the last request with its security token in the retry
 * context), any of which could print a secret through `util.inspect(error)`.
 */
export class ProviderSdkError extends Error {
  /** The SDK's own error name (e.g. `TooManyRequestsException`, `ClientError`). */
  readonly sdkErrorName: string;
  readonly code: string | undefined;

  constructor(sdkErrorName: string, message: string, code: string | undefined) {
    super(message);
    this.name = 'ProviderSdkError';
    this.sdkErrorName = sdkErrorName;
    this.code = code;
  }
}

/**
 * Copies name, message, code and the stack's frames of `error` into a ProviderSdkError, with every
 * occurrence of the given secrets (secret keys, session tokens) replaced by `[REDACTED]`.
 */
export function sanitizeSdkError(error: unknown, secrets: readonly string[]): ProviderSdkError {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const sdkErrorName = typeof record.name === 'string' ? record.name : 'Error';
  const rawMessage = typeof record.message === 'string' ? record.message : String(error);
  const code = typeof record.code === 'string' ? record.code : typeof record.code === 'number' ? String(record.code) : undefined;
  const message = redactSecrets(truncate(rawMessage), secrets);
  const sanitized = new ProviderSdkError(sdkErrorName, message, code === undefined ? undefined : redactSecrets(code, secrets));
  if (typeof record.stack === 'string') {
    // Keep the frames (where the SDK failed) but not the first line: it repeats the unredacted message.
    const frames = record.stack.split('\n').filter((line) => line.startsWith('    at '));
    sanitized.stack = [`ProviderSdkError: ${sdkErrorName}: ${message}`, ...frames.slice(0, 10)].join('\n');
  }
  return sanitized;
}

/** Replaces each secret in `text` (linear: plain substring search, no regex built from input). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
