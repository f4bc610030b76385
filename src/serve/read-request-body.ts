import type { IncomingMessage } from 'node:http';
import { httpError } from './http-status.ts';

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes` with a 413 error: at once when
 * Content-Length announces it, otherwise as soon as the received bytes pass the limit (nothing more is buffered).
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const announced = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received).toString('utf8');
}

function tooLarge(maxBytes: number) {
  return httpError(413, 'E_PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes; send fewer rows per request or start lakefn serve with a larger --max-body-bytes`);
}
