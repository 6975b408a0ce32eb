/**
 * Work that one process at a time does for a collection, whichever process it is (polling its
 * feeds): a session advisory lock taken with pg_try_advisory_lock, so that a process finding it
 * held skips the work instead of waiting to repeat it.
 */
import { explain } from './failures.js';
import { poolOf } from './pool.js';

/** The first key of these locks ('vt'); writes use their own class (store.ts). */
const TURN_CLASS = 0x7674;

/** Runs `work` when no other process holds `task` for `collection`; false when one did (nothing ran). */
export async function takeTurn(url: string, task: string, collection: string, work: () => Promise<void>): Promise<boolean> {
  const client = await (await poolOf(url)).connect().catch((error: unknown) => {
    throw explain(error, url);
  });
  const key = [TURN_CLASS, `${task}:${collection}`];
  try {
    const taken = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken', key);
    if (!taken.rows[0]!.taken) return false;
    try {
      await work();
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
