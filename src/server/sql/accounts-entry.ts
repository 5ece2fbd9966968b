/**
 * Agent accounts on a database URL, for the command line (`obrolan agents …`), which needs the
 * accounts without a running server. The database is migrated like the server does at start.
 */
import type { AccountStore } from '../accounts/types'
import { createSqlStore } from './index'
import { SqlAccountStore } from './sql-account-store'

export async function openAccountStore(url: string): Promise<{ store: AccountStore; close(): Promise<void> }> {
  const sql = await createSqlStore(url)
  return { store: new SqlAccountStore(sql.engine), close: () => sql.close() }
}
