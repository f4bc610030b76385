// The package statements: what each parses into, the action each maps to, and positioned errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { actionForStatement } from '../../src/governance/statement-actions.ts';
import { parseStatements } from '../../src/sql/statement.ts';

function body(text: string): Record<string, unknown> {
  const [statement] = parseStatements(text);
  assert.ok(statement !== undefined);
  const { position: _position, text: _text, ...rest } = statement;
  return rest;
}

function expectError(text: string, code: string, column: number, pattern: RegExp): void {
  assert.throws(() => parseStatements(text), (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.location.column, column, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('package statements', () => {
  it('every package statement parses and maps to exactly one action of the catalog', () => {
    const cases: readonly (readonly [string, Record<string, unknown>, string])[] = [
      ["CREATE PACKAGE IF NOT EXISTS k COMMENT 'x'", { kind: 'create-package', name: 'k', ifNotExists: true, comment: 'x' }, 'lakefn:CreatePackage'],
      ['DROP PACKAGE IF EXISTS k', { kind: 'drop-package', name: 'k', ifExists: true }, 'lakefn:DropPackage'],
      ['ADD EXTERNAL FUNCTION s.f TO PACKAGE k WITH PRIVILEGES (EXECUTE)', { kind: 'add-package-function', function: 's.f', package: 'k', privileges: ['EXECUTE'] }, 'lakefn:AddPackageFunction'],
      ['ADD FUNCTION f TO PACKAGE k', { kind: 'add-package-function', function: 'f', package: 'k', privileges: ['EXECUTE'] }, 'lakefn:AddPackageFunction'],
      ['REMOVE FUNCTION f FROM PACKAGE k', { kind: 'remove-package-function', function: 'f', package: 'k' }, 'lakefn:RemovePackageFunction'],
      ['ALLOW PROJECT q TO INSTALL PACKAGE k USING LABEL 3', { kind: 'allow-package-install', consumer: 'q', package: 'k', label: 3 }, 'lakefn:AllowPackageInstall'],
      ['ALLOW PROJECT q TO INSTALL PACKAGE k', { kind: 'allow-package-install', consumer: 'q', package: 'k', label: null }, 'lakefn:AllowPackageInstall'],
      ['DISALLOW PROJECT q TO INSTALL PACKAGE k', { kind: 'disallow-package-install', consumer: 'q', package: 'k' }, 'lakefn:DisallowPackageInstall'],
      ["SHOW PACKAGES LIKE 'k%'", { kind: 'show-packages', like: 'k%' }, 'lakefn:ListPackages'],
      ['DESC PACKAGE k', { kind: 'describe-package', name: 'k', project: null }, 'lakefn:DescribePackage'],
      ['DESCRIBE PACKAGE p.k', { kind: 'describe-package', name: 'k', project: 'p' }, 'lakefn:DescribePackage'],
      ['INSTALL PACKAGE p.k', { kind: 'install-package', package: { project: 'p', name: 'k' } }, 'lakefn:InstallPackage'],
      ['UNINSTALL PACKAGE p.k', { kind: 'uninstall-package', package: { project: 'p', name: 'k' } }, 'lakefn:UninstallPackage'],
      ['GRANT READ ON PACKAGE p.k TO ROLE r', { kind: 'grant-package-read', package: { project: 'p', name: 'k' }, grantee: { kind: 'role', name: 'r' } }, 'lakefn:Grant'],
      ['REVOKE READ ON PACKAGE p.k FROM USER u', { kind: 'revoke-package-read', package: { project: 'p', name: 'k' }, grantee: { kind: 'user', name: 'u' } }, 'lakefn:Revoke'],
      ['SET LABEL 3 TO FUNCTION f', { kind: 'set-label', label: 3, name: 'f' }, 'lakefn:SetLabel'],
      ['SET LABEL 0 TO EXTERNAL FUNCTION p.s.f', { kind: 'set-label', label: 0, name: 's.f', project: 'p' }, 'lakefn:SetLabel'],
      ['set label 9 to function s.f', { kind: 'set-label', label: 9, name: 's.f' }, 'lakefn:SetLabel'],
      ['SHOW GRANTS ON PACKAGE p.k', { kind: 'show-package-grants', name: 'k', project: 'p' }, 'lakefn:ListGrants'],
      ['SHOW GRANTS ON PACKAGE k', { kind: 'show-package-grants', name: 'k', project: null }, 'lakefn:ListGrants'],
      ['GRANT OWNERSHIP ON PACKAGE k TO ROLE r', { kind: 'grant-package-ownership', package: 'k', grantee: { kind: 'role', name: 'r' } }, 'lakefn:TransferOwnership'],
    ];
    for (const [text, expected, action] of cases) {
      assert.deepEqual(body(text), expected, text);
      assert.equal(actionForStatement(expected['kind'] as Parameters<typeof actionForStatement>[0]).name, action, text);
    }
  });

  it('positioned errors: connections, other privileges, labels, names', () => {
    expectError('ADD API CONNECTION c TO PACKAGE k', 'E_INVALID_ARGUMENT', 5, /connections cannot be added to or removed from a package/);
    expectError('REMOVE CONNECTION c FROM PACKAGE k', 'E_INVALID_ARGUMENT', 8, /connections cannot be added to or removed from a package/);
    expectError('ADD FUNCTION f TO PACKAGE k WITH PRIVILEGES (USAGE)', 'E_INVALID_ARGUMENT', 46, /privilege 'USAGE' cannot be shared in a package: only EXECUTE can/);
    expectError('ADD TABLE t TO PACKAGE k', 'E_SYNTAX', 5, /expected \[EXTERNAL\] FUNCTION after ADD/);
    expectError('ADD FUNCTION p.s.f TO PACKAGE k', 'E_INVALID_NAME', 14, /name the function without its project/);
    expectError('ALLOW PROJECT q TO INSTALL PACKAGE k USING LABEL 10', 'E_INVALID_ARGUMENT', 50, /USING LABEL takes an integer from 0 to 9/);
    expectError('SET LABEL 10 TO FUNCTION f', 'E_INVALID_ARGUMENT', 11, /SET LABEL takes an integer from 0 to 9 \(MaxCompute's sensitivity levels\), found '10'/);
    expectError('SET LABEL 1.5 TO FUNCTION f', 'E_INVALID_ARGUMENT', 11, /SET LABEL takes an integer from 0 to 9.*found '1\.5'/);
    expectError('SET LABEL -1 TO FUNCTION f', 'E_SYNTAX', 11, /unexpected character '-'/);
    expectError("SET LABEL '3' TO FUNCTION f", 'E_INVALID_ARGUMENT', 11, /SET LABEL takes an integer from 0 to 9.*found string '3'/);
    expectError('SET LABEL TO FUNCTION f', 'E_INVALID_ARGUMENT', 11, /SET LABEL takes an integer from 0 to 9.*found 'TO'/);
    expectError('SET LABEL 2 TO API CONNECTION c', 'E_INVALID_ARGUMENT', 16, /SET LABEL labels functions only \(the objects a package shares\)/);
    expectError('SET LABEL 2 TO TABLE t', 'E_INVALID_ARGUMENT', 16, /SET LABEL labels functions only/);
    expectError('SET LABEL 2 FUNCTION f', 'E_SYNTAX', 13, /expected TO after the label/);
    expectError('SET LABELS 2 TO FUNCTION f', 'E_SYNTAX', 5, /expected BOUNDARY after SET/);
    expectError('GRANT OWNERSHIP ON PACKAGE p.k TO USER u', 'E_INVALID_NAME', 28, /GRANT OWNERSHIP ON PACKAGE names a package of the current project/);
    expectError('GRANT OWNERSHIP ON PACKAGE k USER u', 'E_SYNTAX', 30, /expected TO after the package/);
    expectError('INSTALL PACKAGE k', 'E_SYNTAX', 18, /INSTALL names a package of another project: write <provider project>\.<package>/);
    expectError('CREATE PACKAGE "a.b"', 'E_INVALID_NAME', 16, /may not contain '\.'/);
    expectError('GRANT READ ON FUNCTION f TO USER u', 'E_SYNTAX', 7, /expected a privilege after GRANT/);
  });
});
