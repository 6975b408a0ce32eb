import { EmbeddedStore } from './embedded/store.js';
import type { Store } from './store.js';

/** The store of a store folder (the embedded backend; PostgreSQL will be chosen here too). */
export function openStore(storeDir: string): Store {
  return new EmbeddedStore(storeDir);
}
