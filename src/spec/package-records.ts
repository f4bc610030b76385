/**
 * Packages (MaxCompute's cross-project sharing, issue 12): a provider project bundles functions into a package, allows
 * consumer projects to install it, and a consumer project that installed it grants READ on the installed package to its
 * users and roles, who then call the functions as `<provider project>.<function>`. Every record is a signed catalog row.
 */

/** The privileges a package may share on a function: EXECUTE only (never USAGE, OWNERSHIP or a connection). */
export const PACKAGE_PRIVILEGES = ['EXECUTE'] as const;
export type PackagePrivilege = (typeof PACKAGE_PRIVILEGES)[number];

/** MaxCompute's limits, which lakefn keeps. */
export const PACKAGE_LIMITS = {
  /** Objects (functions) in one package. */
  objectsPerPackage: 1000,
  /** Packages one consumer project installs from one provider project. */
  installsPerProviderPerConsumer: 100,
} as const;

/**
 * MaxCompute's sensitivity levels 0–9. A function carries one (`SET LABEL n TO FUNCTION f`; 0 when never set), and
 * `ALLOW PROJECT q TO INSTALL PACKAGE k USING LABEL n` (0 when not given) lets the consumer project reach only the
 * package's functions whose label is at most n.
 */
export const MAX_PACKAGE_LABEL = 9;

/** The label of a function never labelled, and of a permission given without USING LABEL. */
export const DEFAULT_LABEL = 0;

/** `CREATE PACKAGE k` in a (provider) project. */
export interface PackageRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  /** Who created it (a user or role id); managing it takes the project's ownership or `admin`. */
  readonly ownerId: string;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** `ADD FUNCTION f TO PACKAGE k WITH PRIVILEGES (EXECUTE)`. */
export interface PackageObjectRecord {
  readonly packageId: string;
  readonly functionId: string;
  readonly privileges: readonly PackagePrivilege[];
  /** Who added it, as the audit log names principals. */
  readonly addedBy: string;
  readonly createdAt: string;
}

/** `ALLOW PROJECT q TO INSTALL PACKAGE k [USING LABEL n]`. */
export interface PackageAllowRecord {
  readonly packageId: string;
  /** The consumer project. */
  readonly projectId: string;
  readonly label: number | null;
  readonly allowedBy: string;
  readonly createdAt: string;
}

/** `INSTALL PACKAGE p.k` in consumer project q. */
export interface PackageInstallRecord {
  readonly id: string;
  readonly packageId: string;
  /** The consumer project. */
  readonly projectId: string;
  readonly installedBy: string;
  readonly createdAt: string;
}

/** `GRANT READ ON PACKAGE p.k TO USER|ROLE x` in the consumer project: READ on the installation. */
export interface PackageGrantRecord {
  readonly installId: string;
  readonly granteeId: string;
  readonly grantedBy: string;
  readonly createdAt: string;
}

/** `SET LABEL n TO FUNCTION f` in the function's (provider) project: its sensitivity label for package consumers. */
export interface FunctionLabelRecord {
  readonly functionId: string;
  /** 0–9 (MAX_PACKAGE_LABEL). */
  readonly label: number;
  /** Who set it, as the audit log names principals. */
  readonly setBy: string;
  readonly createdAt: string;
}
