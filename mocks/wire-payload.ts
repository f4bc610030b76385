/** Batch id and row count of a request in one of lakefn's wire formats (SPEC §6), for the call log. */
export interface PayloadSummary {
  readonly batchId: string | undefined;
  readonly rows: number | undefined;
}

const UNKNOWN: PayloadSummary = { batchId: undefined, rows: undefined };

/** Parses a payload as JSON; undefined when it is not JSON (the handler then receives the raw bytes). */
export type ParsedPayload = { readonly json: true; readonly value: unknown } | { readonly json: false };

export function parsePayload(payload: Uint8Array): ParsedPayload {
  if (payload.byteLength === 0) return { json: false };
  try {
    return { json: true, value: JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')) };
  } catch {
    return { json: false };
  }
}

export function summarizePayload(value: unknown): PayloadSummary {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return UNKNOWN;
  const request = value as Record<string, unknown>;
  if (request['lakefn'] !== undefined && Array.isArray(request['rows'])) {
    return { batchId: stringOrUndefined(request['batch_id']), rows: request['rows'].length };
  }
  if (Array.isArray(request['calls'])) return { batchId: stringOrUndefined(request['requestId']), rows: request['calls'].length };
  if (Array.isArray(request['arguments'])) return { batchId: stringOrUndefined(request['request_id']), rows: request['arguments'].length };
  if (Array.isArray(request['data'])) return { batchId: undefined, rows: request['data'].length };
  return UNKNOWN;
}

/**
 * The reply with one row too few (or one too many when it had none), for the `wrong_row_count` fault. Knows the
 * reply shapes of the four formats (`results`, `data`, `replies`); other replies are returned unchanged.
 */
export function withWrongRowCount(reply: unknown): unknown {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) return reply;
  const object = reply as Record<string, unknown>;
  for (const key of ['results', 'data', 'replies']) {
    const rows = object[key];
    if (Array.isArray(rows)) {
      const changed = rows.length > 0 ? rows.slice(0, -1) : [null];
      return { ...object, [key]: changed };
    }
  }
  return reply;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
