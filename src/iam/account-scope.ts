import type { ExpressionBuilder } from 'kysely';
import type { IamTables } from './tables.js';

/**
 * Principals created before accounts existed have no account_id; they belong to the server's default account, which
 * comes from configuration and is therefore resolved when read rather than written into old rows.
 */
export function principalInAccount(accountId: string, defaultAccountId: string) {
  return (eb: ExpressionBuilder<IamTables, 'principals'>) =>
    accountId === defaultAccountId
      ? eb.or([eb('principals.account_id', '=', accountId), eb('principals.account_id', 'is', null)])
      : eb('principals.account_id', '=', accountId);
}
