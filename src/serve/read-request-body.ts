import type { IncomingMessage } from 'node:http';
import { decodeUtf8Exactly, InvalidUtf8Error } from '../codec/utf8-text.ts';
import { LakefnError } from '../errors/index.ts';
import { httpError } from './http-status.ts';

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes` with a 413 error: at once when
 * Content-Length announces it, otherwise as soon as the received bytes pass the limit (nothing more is buffered).
 * Bytes that are not UTF-8 are a 400 naming the byte offset, never replaced with U+FFFD. A client that hangs up
 * before the body is complete is E_CANCELLED.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const announced = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (LakefnError.isInstance(error)) throw error;
    throw new LakefnError('E_CANCELLED', 'the HTTP client closed the connection before sending the whole request body', { cause: error });
  }
  try {
    return decodeUtf8Exactly(Buffer.concat(chunks, received));
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    throw httpError(400, 'E_BAD_ROW', `request body: not valid UTF-8 at byte offset ${error.offset}; send the body as UTF-8`);
  }
}

function tooLarge(maxBytes: number) {
  return httpError(413, 'E_PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes; send fewer rows per request or start lakefn serve with a larger --max-body-bytes`);
}
