/**
 * The Governance II records the catalog stores: IAM-style policies (the customer's own; the managed ones are built
 * in and never stored), their attachments to users and roles, boundaries on projects, users and roles, and each
 * project's OBJECT_PRIVILEGES switch. Every row carries a MAC like the Governance I rows.
 */

/** `CREATE [OR REPLACE] POLICY name AS '<json>' [COMMENT …]`. */
export interface PolicyRecord {
  readonly id: string;
  /** Unique; the managed policy names (LakefnFullAccess, …) are reserved. */
  readonly name: string;
  /** The document's JSON text exactly as written (re-validated and compiled whenever it is read). */
  readonly document: string;
  readonly comment: string | null;
  /** The principal that created it (the bootstrap super administrator: super_administrator). */
  readonly ownerId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `ATTACH POLICY p TO USER|ROLE x`: by the policy's name (managed or own). */
export interface PolicyAttachmentRecord {
  readonly id: string;
  readonly policyName: string;
  readonly principalId: string;
  /** Who attached it, as the audit log names principals. */
  readonly attachedBy: string;
  readonly createdAt: string;
}

export const BOUNDARY_TARGET_KINDS = ['project', 'user', 'role'] as const;
export type BoundaryTargetKind = (typeof BOUNDARY_TARGET_KINDS)[number];

/** `SET BOUNDARY ON PROJECT p | USER u | ROLE r AS POLICY x`: at most one per target. */
export interface BoundaryRecord {
  readonly id: string;
  readonly targetKind: BoundaryTargetKind;
  /** The project's or principal's id. */
  readonly targetId: string;
  readonly policyName: string;
  readonly setBy: string;
  readonly createdAt: string;
}

/** `ALTER PROJECT p SET OBJECT_PRIVILEGES = ON|OFF`; a project without a row has them ON. */
export interface ProjectSettingRecord {
  readonly projectId: string;
  readonly objectPrivileges: boolean;
  readonly changedBy: string;
  readonly changedAt: string;
}

/**
 * The id of the attachment migration 5 creates (LakefnFullAccess on PUBLIC): what every principal held implicitly
 * under Governance I, now a visible row that DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC removes.
 */
export const PUBLIC_FULL_ACCESS_ATTACHMENT_ID = '00000000-0000-4000-8000-000000000200';
