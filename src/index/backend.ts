import { DEFAULT_COLLECTION } from '../collections.js';
import { EmbeddedStore } from './embedded/store.js';
import { followChanges, type ChangeFeed, type ChangeHandlers } from './postgres/changes.js';
import { PostgresStore } from './postgres/store.js';
import { takeTurn as takeDatabaseTurn } from './postgres/turns.js';
import type { Store } from './store.js';

/**
 * The store verbatim uses: PostgreSQL when a database is given (`DATABASE_URL`), otherwise the
 * embedded store in the store folder. In a database, each collection is its own `collection` key
 * (its folders still hold its corpus, feeds and watches).
 */
export function openStore(
  storeDir: string,
  collection: string = DEFAULT_COLLECTION,
  databaseUrl: string | undefined = process.env.DATABASE_URL || undefined,
): Store {
  return databaseUrl ? new PostgresStore(databaseUrl, collection) : new EmbeddedStore(storeDir);
}

/**
 * With a shared database, follows what every process writes (see postgres/changes.ts); with the
 * embedded store, which serves one process, there is nothing to follow (null).
 */
export async function followStoreChanges(
  handlers: ChangeHandlers,
  databaseUrl: string | undefined = process.env.DATABASE_URL || undefined,
): Promise<ChangeFeed | null> {
  return databaseUrl ? followChanges(databaseUrl, handlers) : null;
}

/**
 * Runs `work` (a feed poll of a collection) unless another process sharing the database is doing
 * the same task for that collection now: true when it ran. The embedded store serves one process,
 * which runs it.
 */
export async function takeTurn(
  task: string,
  collection: string,
  work: () => Promise<void>,
  databaseUrl: string | undefined = process.env.DATABASE_URL || undefined,
): Promise<boolean> {
  if (databaseUrl) return takeDatabaseTurn(databaseUrl, task, collection, work);
  await work();
  return true;
}
