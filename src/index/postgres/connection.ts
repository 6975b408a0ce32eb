/** One pooled connection, or one transaction on it, for the database's small keepers (state documents, answers). */
import type pg from 'pg';
import { explain } from './failures.js';
import { poolOf } from './pool.js';

/** Runs `work` with a pooled connection; a lost or unreachable database becomes one clear line (DATABASE_UNREACHABLE). */
export async function withClient<T>(url: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    const client = await (await poolOf(url)).connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  } catch (error) {
    throw explain(error, url);
  }
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export function inTransaction<T>(url: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
