import { DEFAULT_COLLECTION } from '../collections.js';
import { EmbeddedStore } from './embedded/store.js';
import { PostgresStore } from './postgres/store.js';
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
