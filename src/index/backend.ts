import type * as z from 'zod';
import { DEFAULT_COLLECTION } from '../collections.js';
import { EmbeddedStore } from './embedded/store.js';
import { followChanges, type ChangeFeed, type ChangeHandlers } from './postgres/changes.js';
import { closePools, poolOf } from './postgres/pool.js';
import { PostgresState } from './postgres/state.js';
import { PostgresStore } from './postgres/store.js';
import { takeTurn as takeDatabaseTurn } from './postgres/turns.js';
import { creatingFolder, FileState, type StateDocument } from './state.js';
import type { Store } from './store.js';

/** The database named by `DATABASE_URL`: where everything is kept when set (files in the store folders when not). */
export function configuredDatabase(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * The store verbatim uses: PostgreSQL when a database is given (`DATABASE_URL`), otherwise the
 * embedded store in the store folder. In a database, each collection is its own `collection` key
 * (its folders still hold its corpus).
 */
export function openStore(
  storeDir: string,
  collection: string = DEFAULT_COLLECTION,
  databaseUrl: string | undefined = configuredDatabase(),
): Store {
  return databaseUrl ? new PostgresStore(databaseUrl, collection) : new EmbeddedStore(storeDir);
}

/**
 * With a shared database, follows what every process writes (see postgres/changes.ts); with the
 * embedded store, which serves one process, there is nothing to follow (null).
 */
export async function followStoreChanges(
  handlers: ChangeHandlers,
  databaseUrl: string | undefined = configuredDatabase(),
): Promise<ChangeFeed | null> {
  return databaseUrl ? followChanges(databaseUrl, handlers) : null;
}

/**
 * Reaches the database and brings its schema up to date, then closes this process's connections
 * (for a process that only starts others which use it): an unreachable database, or one without
 * pgvector, is one line here rather than in each of them.
 */
export async function prepareDatabase(databaseUrl: string): Promise<void> {
  try {
    await poolOf(databaseUrl);
  } finally {
    await closePools();
  }
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
  databaseUrl: string | undefined = configuredDatabase(),
): Promise<boolean> {
  if (databaseUrl) return takeDatabaseTurn(databaseUrl, task, collection, work);
  await work();
  return true;
}

/**
 * A collection's state document `name` (feeds, watches), kept where its index is: a row of the
 * database with `DATABASE_URL`, `<storeDir>/<name>.json` without.
 */
export function openState<S extends z.ZodType>(
  storeDir: string,
  collection: string,
  name: string,
  schema: S,
  databaseUrl: string | undefined = configuredDatabase(),
): StateDocument<z.output<S>> {
  return databaseUrl ? creatingFolder(new PostgresState(databaseUrl, collection, name, schema), storeDir) : new FileState(storeDir, name, schema);
}
