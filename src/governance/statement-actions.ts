import type { StatementKind } from '../sql/statement.ts';
import { defineActionMap } from './policy/index.ts';

/**
 * Every statement kind → the one action of the catalog it performs. `defineActionMap` makes this exhaustive at compile
 * time: a new statement kind without an action is a type error (and a test asserts every parsed kind maps).
 */
export const actionForStatement = defineActionMap<StatementKind>({
  'create-connection': 'lakefn:CreateConnection',
  'describe-connection': 'lakefn:DescribeConnection',
  'show-connections': 'lakefn:ListConnections',
  'alter-connection-set': 'lakefn:AlterConnection',
  'rotate-external-id': 'lakefn:RotateExternalId',
  'validate-connection': 'lakefn:ValidateConnection',
  'drop-connection': 'lakefn:DropConnection',
  'create-function': 'lakefn:CreateFunction',
  'describe-function': 'lakefn:DescribeFunction',
  'show-functions': 'lakefn:ListFunctions',
  'drop-function': 'lakefn:DropFunction',
  'create-project': 'lakefn:CreateProject',
  'drop-project': 'lakefn:DropProject',
  'show-projects': 'lakefn:ListProjects',
  'use-project': 'lakefn:UseProject',
  'create-user': 'lakefn:CreateUser',
  'drop-user': 'lakefn:DropUser',
  'show-users': 'lakefn:ListUsers',
  'create-role': 'lakefn:CreateRole',
  'drop-role': 'lakefn:DropRole',
  'show-roles': 'lakefn:ListRoles',
  'grant-role': 'lakefn:GrantRole',
  'revoke-role': 'lakefn:RevokeRole',
  'grant-privilege': 'lakefn:Grant',
  'revoke-privilege': 'lakefn:Revoke',
  'grant-ownership': 'lakefn:TransferOwnership',
  'show-grants-on': 'lakefn:ListGrants',
  'show-grants-to': 'lakefn:ListGrants',
  'show-function-history': 'lakefn:ReadFunctionHistory',
  'add-token': 'lakefn:CreateToken',
  'revoke-token': 'lakefn:RevokeToken',
  'set-oidc-subject': 'lakefn:SetOidcSubject',
  'show-tokens': 'lakefn:ListTokens',
});
