import { Command } from 'commander';
import { openCatalogStore } from '../../store/open-catalog-store.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';

/**
 * `lakefn store rotate-key`: re-signs every catalog row with a new store key in one transaction. Exit 0 when
 * rotated; 1 when refused (a row fails its check with the current key: E_STORE_TAMPERED; no key: E_STORE_KEY_MISSING).
 */
export function storeRotateKeyCommand(context: CliContext): Command {
  const command = new Command('rotate-key')
    .description('re-sign every connection and function with a new store key (one transaction; the old key file is replaced only after it commits)')
    .action(async (_flags: unknown, self: Command) => {
      const { home, json } = globalOptions(self);
      const store = await openCatalogStore({ home, environment: context.environment });
      try {
        const rotation = await store.rotateKey();
        const sharedCatalog = store.kind === 'postgres';
        if (json === true) {
          writeJson(context.stdout, {
            previous_key_id: rotation.previousKeyId,
            key_id: rotation.keyId,
            key_file: rotation.keyFile,
            connections: rotation.connections,
            functions: rotation.functions,
            finished_interrupted_rotation: rotation.finishedInterruptedRotation,
          });
        } else {
          context.stdout.write(
            `store key rotated: ${rotation.connections} connection(s) and ${rotation.functions} function(s) re-signed with key ${rotation.keyId} ` +
              `(was ${rotation.previousKeyId}); key file ${rotation.keyFile}\n`,
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
