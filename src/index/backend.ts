import type * as z from 'zod';
import { DEFAULT_COLLECTION } from '../collections.js';
import { EmbeddedStore } from './embedded/store.js';
import { PostgresState } from './postgres/state.js';
import { PostgresStore } from './postgres/store.js';
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
