import { EmbeddedStore } from './embedded/store.js';
import { PostgresStore } from './postgres/store.js';
import type { Store } from './store.js';

/**
 * The store verbatim uses: PostgreSQL when a database is given (`DATABASE_URL`), otherwise the
 * embedded store in the store folder.
 */
export function openStore(storeDir: string, databaseUrl: string | undefined = process.env.DATABASE_URL || undefined): Store {
  return databaseUrl ? new PostgresStore(databaseUrl) : new EmbeddedStore(storeDir);
}
