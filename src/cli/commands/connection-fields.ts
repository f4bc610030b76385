import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_NAMESPACE, namespaceRequirement } from '../../catalog/namespace.ts';
import { validateConnectionFields } from '../../catalog/validate-connection-fields.ts';
import { LakefnError } from '../../errors/index.ts';
import { isProviderName, PROVIDER_NAMES, PROVIDERS, type ProviderName } from '../../registry/providers.ts';
import type { ConnectionFields } from '../../spec/connection-record.ts';
import { EXTERNAL_ID_NOT_SETTABLE_REASON } from '../../sql/property-list.ts';
import type { ConnectionFieldChanges } from '../../sql/statement.ts';

/** The connection flags, named like the DDL keywords (PROVIDER → --provider, ROLE_ARN → --role-arn, …). */
export interface ConnectionFlagValues {
  readonly provider?: ProviderName;
  readonly region?: string;
  readonly roleArn?: string;
  readonly namespace?: string;
  readonly codeBucket?: string;
  readonly comment?: string;
  readonly clearCodeBucket?: boolean;
  readonly clearComment?: boolean;
  readonly allowUnknownRegion?: boolean;
}

/** Adds --provider … --comment; `create` makes provider, region and role ARN required. */
export function addConnectionFieldOptions(command: Command, mode: 'create' | 'alter'): Command {
  const value = (option: Option): void => {
    command.addOption(mode === 'create' ? option.makeOptionMandatory() : option);
  };
  value(providerOption());
  value(new Option('--region <region>', `the provider's region, e.g. ${PROVIDERS.map((definition) => definition.catalog.regions.example).join(', ')}`));
  value(new Option('--role-arn <arn>', "the role in the customer's account that trusts the broker"));
  const namespaced = PROVIDER_NAMES.filter((provider) => namespaceRequirement(provider) !== undefined);
  command.option('--namespace <namespace>', `function namespace (${namespaced.length === 0 ? '' : `required for ${namespaced.join(', ')}; `}default '${DEFAULT_NAMESPACE}' elsewhere)`);
  if (mode === 'alter') {
    command
      .addOption(new Option('--code-bucket <bucket>', 'object-storage bucket holding function code packages').conflicts('clearCodeBucket'))
      .addOption(new Option('--comment <text>', 'free text').conflicts('clearComment'))
      .option('--clear-code-bucket', 'remove the code bucket (SET CODE_BUCKET = NULL)')
      .option('--clear-comment', 'remove the comment (SET COMMENT = NULL)');
  } else {
    command.option('--code-bucket <bucket>', 'object-storage bucket holding function code packages').option('--comment <text>', 'free text');
  }
  command.option('--allow-unknown-region', 'accept a syntactically valid region missing from the known-region lists');
  addRefusedExternalIdOption(command);
  return command;
}

/**
 * `--provider` with its choices listed in `--help`. Read case-insensitively, as the DDL reads PROVIDER
 * (`--provider AWS` works); commander's own choices() check compares exactly, so the parser below replaces it.
 */
function providerOption(): Option {
  const option = new Option('--provider <provider>', 'the cloud that runs the functions').choices(PROVIDER_NAMES);
  return option.argParser((text: string): ProviderName => {
    const lower = text.toLowerCase();
    if (!isProviderName(lower)) throw new InvalidArgumentError(`Allowed choices are ${PROVIDER_NAMES.join(', ')}.`);
    return lower;
  });
}

/**
 * A hidden `--external-id` that explains, as the DDL does, why the external ID is never settable,
 * instead of commander's generic unknown-option error. It refuses while options are parsed (before
 * the required-option check) and never echoes the offered value.
 */
function addRefusedExternalIdOption(command: Command): void {
  command.addOption(new Option('--external-id [id]').hideHelp());
  command.on('option:external-id', () => {
    throw new LakefnError('E_EXTERNAL_ID_NOT_SETTABLE', `--external-id cannot be set: ${EXTERNAL_ID_NOT_SETTABLE_REASON}`, { location: { field: 'EXTERNAL_ID' } });
  });
}

/** The validated fields of `connection create`, exactly as CREATE API CONNECTION would build them. */
export function connectionFieldsFromFlags(flags: ConnectionFlagValues): ConnectionFields {
  const provider = required(flags.provider, '--provider');
  let namespace = flags.namespace;
  if (namespace === undefined) {
    const needed = namespaceRequirement(provider);
    if (needed !== undefined) {
      throw new LakefnError('E_INVALID_NAMESPACE', `--namespace is required for provider ${provider} (${needed})`, { location: { field: 'NAMESPACE' } });
    }
    namespace = DEFAULT_NAMESPACE;
  }
  return validateConnectionFields(
    {
      provider,
      region: required(flags.region, '--region'),
      roleArn: required(flags.roleArn, '--role-arn'),
      namespace,
      codeBucket: flags.codeBucket ?? null,
      comment: flags.comment ?? null,
    },
    { allowUnknownRegion: flags.allowUnknownRegion === true },
  );
}

/** The changes of `connection alter` (ALTER … SET); the executor merges and re-validates them. */
export function connectionChangesFromFlags(flags: ConnectionFlagValues): ConnectionFieldChanges {
  const changes: ConnectionFieldChanges = {
    ...(flags.provider === undefined ? {} : { provider: flags.provider }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(flags.roleArn === undefined ? {} : { roleArn: flags.roleArn }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(flags.codeBucket === undefined ? {} : { codeBucket: flags.codeBucket }),
    ...(flags.clearCodeBucket === true ? { codeBucket: null } : {}),
    ...(flags.comment === undefined ? {} : { comment: flags.comment }),
    ...(flags.clearComment === true ? { comment: null } : {}),
  };
  if (Object.keys(changes).length === 0) {
    throw usage('nothing to change: give at least one of --provider, --region, --role-arn, --namespace, --code-bucket, --comment, --clear-code-bucket, --clear-comment');
  }
  return changes;
}

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw usage(`${flag} is required`);
  return value;
}

function usage(message: string): LakefnError {
  return new LakefnError('E_USAGE', message);
}
