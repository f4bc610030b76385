import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { TemporaryCredentials } from '../spec/temporary-credentials.ts';
import type { CredentialBroker } from './credential-broker.ts';

/**
 * Runs `call` with the connection's temporary credentials. When the function service answers E_AUTH
 * (expired or revoked session), the credentials are refreshed once (shared with every concurrent call
 * that saw the same credentials refused) and `call` runs once more; a second E_AUTH is final.
 */
export async function invokeWithCredentials<T>(
  broker: CredentialBroker,
  connection: ConnectionRecord,
  call: (credentials: TemporaryCredentials) => Promise<T>,
): Promise<T> {
  const credentials = await broker.credentialsFor(connection)();
  try {
    return await call(credentials);
  } catch (error) {
    if (!LakefnError.isInstance(error) || error.code !== 'E_AUTH') throw error;
    const refreshed = await broker.refreshRejected(connection, credentials);
    return call(refreshed);
  }
}
