import type { ConnectionRecord } from '../spec/connection-record.ts';

/** The intersection of every provider's STS session name rule. */
export const SESSION_NAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
const ID_PREFIX_LENGTH = 8;

/**
 * `lakefn-<first characters of the connection id>`: attributes every session in CloudTrail /
 * ActionTrail / CloudAudit to the connection without an AssumeRole per user.
 */
export function sessionNameFor(connection: Pick<ConnectionRecord, 'id'>): string {
  const prefix = connection.id.slice(0, 64).replace(/[^A-Za-z0-9_.@-]/g, '').slice(0, ID_PREFIX_LENGTH);
  const name = `lakefn-${prefix.length > 0 ? prefix : 'connection'}`;
  // Cannot fail by construction; kept as the invariant the clouds check.
  if (!SESSION_NAME_PATTERN.test(name)) throw new Error(`internal: session name ${name} breaks ${SESSION_NAME_PATTERN.source}`);
  return name;
}
