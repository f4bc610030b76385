import type { GrantRecord } from '../spec/governance-records.ts';

/**
 * Which grants on one object no longer rest on any authority (REVOKE … CASCADE | RESTRICT, DROP USER | ROLE).
 *
 * A grant rests on authority when its grantor is the object's owner (grants made by an owner or an administrator are
 * recorded with the owner as grantor), or an administrator, or holds the same privilege WITH GRANT OPTION through a
 * grant that itself rests on authority (directly or through a role). Computed as a fixpoint from the owner outwards,
 * so a cycle of re-grants (A gave B the option, B gave A) supports nothing once the grant from the owner is gone.
 *
 * @param grants every grant on the object, after the revocation
 * @param ownerId the object's owner
 * @param idsOf a principal's own id with every role it holds (transitively)
 * @param isAdministrator whether a principal holds admin or super_administrator
 */
export function abandonedGrants(
  grants: readonly GrantRecord[],
  ownerId: string,
  idsOf: (principalId: string) => ReadonlySet<string>,
  isAdministrator: (principalId: string) => boolean,
): GrantRecord[] {
  const supported = new Set<GrantRecord>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const grant of grants) {
      if (supported.has(grant)) continue;
      const grantorIds = idsOf(grant.grantorId);
      const rests = grant.grantorId === ownerId || grantorIds.has(ownerId) || isAdministrator(grant.grantorId)
        || [...supported].some((basis) => basis.privilege === grant.privilege && basis.grantOption && grantorIds.has(basis.granteeId));
      if (rests) {
        supported.add(grant);
        changed = true;
      }
    }
  }
  return grants.filter((grant) => !supported.has(grant));
}
