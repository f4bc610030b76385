import { Command } from 'commander';
import { rotateStoreKeyAudited } from '../../governance/audit-access.ts';
import { openCatalogStore } from '../../store/open-catalog-store.ts';
import { commandPrincipal } from '../command-principal.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';

/**
 * `lakefn store rotate-key`: re-signs every catalog row with a new store key in one transaction. Exit 0 when
 * rotated; 1 when refused (a row fails its check with the current key: E_STORE_TAMPERED; no key: E_STORE_KEY_MISSING).
 */
export function storeRotateKeyCommand(context: CliContext): Command {
  const command = new Command('rotate-key')
    .description('re-sign every catalog row and re-MAC the audit log with a new store key (one transaction; the old key file is replaced only after it commits)')
    .action(async (_flags: unknown, self: Command) => {
      const { home, json } = globalOptions(self);
      const store = await openCatalogStore({ home, environment: context.environment });
      try {
        const rotation = await rotateStoreKeyAudited(store, commandPrincipal(self), () => store.rotateKey(), 'lakefn store rotate-key');
        const sharedCatalog = store.kind === 'postgres';
        if (json === true) {
          writeJson(context.stdout, {
            previous_key_id: rotation.previousKeyId,
            key_id: rotation.keyId,
            key_file: rotation.keyFile,
            connections: rotation.connections,
            functions: rotation.functions,
            governance_rows: rotation.governanceRows,
            audit_records: rotation.auditRecords,
            finished_interrupted_rotation: rotation.finishedInterruptedRotation,
          });
        } else {
          context.stdout.write(
            `store key rotated: ${rotation.connections} connection(s), ${rotation.functions} function(s) and ${rotation.governanceRows} governance row(s) ` +
              `re-signed and ${rotation.auditRecords} audit record(s) re-MAC'd with key ${rotation.keyId} (was ${rotation.previousKeyId}); key file ${rotation.keyFile}\n`,
          );
        }
        if (rotation.finishedInterruptedRotation) context.stderr.write('an earlier rotation had committed without replacing the key file; it was finished first\n');
        context.stderr.write(
          sharedCatalog
            ? `other lakefn nodes using this PostgreSQL catalog keep the old key until ${rotation.keyFile} is copied to them (their LAKEFN_STORE_KEY_FILE, mode 0600); ` +
                'until then they refuse every row (E_STORE_TAMPERED) and every write (E_STORE_KEY_MISSING) and call nothing. Nodes that share this key file, ' +
                'and other processes on this node, use the new key from their next catalog access\n'
            : 'other lakefn processes using this catalog use the new key from their next catalog access\n',
        );
      } finally {
        await store.close();
      }
    });
  return describeJsonOutput(command, 'one JSON document');
}
