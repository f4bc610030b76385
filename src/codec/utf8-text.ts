/** Where the first byte that is not UTF-8 lies: its offset from the start, and its line (1-based, counted by LF). */
export class InvalidUtf8Error extends Error {
  readonly offset: number;
  readonly line: number;

  constructor(offset: number, line: number) {
    super(`not valid UTF-8 (line ${line}, byte offset ${offset})`);
    this.name = 'InvalidUtf8Error';
    this.offset = offset;
    this.line = line;
  }
}

const LINE_FEED = 0x0a;

/**
 * Decodes UTF-8 bytes, refusing what is not UTF-8 instead of replacing it with U+FFFD (a fatal TextDecoder).
 * A leading byte order mark is dropped, as the WHATWG decoder does.
 */
export function decodeUtf8Exactly(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(0, firstInvalidUtf8Offset(bytes));
    throw new InvalidUtf8Error(offset, countLineFeeds(bytes.subarray(0, offset)) + 1);
  }
}

/**
 * Decodes a byte stream as UTF-8 text chunk by chunk, refusing invalid bytes (a fatal TextDecoder in streaming mode,
 * so a character split across two chunks is read whole). On invalid bytes it throws InvalidUtf8Error, which names
 * the line and byte offset; only then is the failing chunk examined again, so the common path costs one decode and
 * one line-feed count per chunk.
 */
export async function* decodeUtf8Chunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes and line feeds decoded so far. */
  let bytes = 0;
  let lineFeeds = 0;
  /**
   * The last character read, complete or not (a copy: a stream may reuse its chunk's memory). The decoder holds
   * back at most an incomplete character, so an error in the next chunk lies in this tail or after it.
   */
  let tail: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const examined = Buffer.concat([tail, chunk]);
      const offset = Math.max(0, firstInvalidUtf8Offset(examined));
      throw new InvalidUtf8Error(bytes - tail.length + offset, lineFeeds - countLineFeeds(tail) + countLineFeeds(examined.subarray(0, offset)) + 1);
    }
    bytes += chunk.length;
    lineFeeds += countLineFeeds(chunk);
    const last = chunk.length >= 4 ? chunk.subarray(-4) : Buffer.concat([tail, chunk]).subarray(-4);
    tail = Uint8Array.from(last.subarray(lastCharacterStart(last)));
    if (text !== '') yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } catch {
    // the input ends inside a character: the error is where that character starts
    throw new InvalidUtf8Error(bytes - tail.length, lineFeeds - countLineFeeds(tail) + 1);
  }
}

/**
 * Offset of the first byte that is not UTF-8, or -1. Node's non-fatal decoder replaces exactly the invalid bytes
 * with U+FFFD and decodes everything before them exactly, so the first U+FFFD that does not stand for an encoded
 * U+FFFD (EF BF BD) is the first error, at the byte length of the text before it.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let offset = 0;
  let searchedTo = 0;
  for (let index = text.indexOf('\uFFFD'); index !== -1; index = text.indexOf('\uFFFD', index + 1)) {
    offset += Buffer.byteLength(text.slice(searchedTo, index), 'utf8');
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset;
    offset += 3;
    searchedTo = index + 1;
  }
  return -1;
}

/** Start of the last character in `last` (its last 4 bytes or fewer): UTF-8 continuation bytes are 10xxxxxx. */
function lastCharacterStart(last: Uint8Array): number {
  for (let index = last.length - 1; index >= 0; index--) {
    if (((last[index] as number) & 0xc0) !== 0x80) return index;
  }
  return 0;
}

function countLineFeeds(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let index = buffer.indexOf(LINE_FEED); index !== -1; index = buffer.indexOf(LINE_FEED, index + 1)) count++;
  return count;
}
