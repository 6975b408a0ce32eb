/**
 * `npm run copy-to-postgres [-- --collection NAME]`: copies a collection's embedded store (STORE_DIR
 * for `default`, COLLECTIONS_DIR/NAME/store otherwise) into the PostgreSQL database DATABASE_URL
 * names, as that collection (`default` unless told), without reading
 * the corpus or embedding anything, and replacing what that collection held. Afterwards every
 * process started with DATABASE_URL answers from the database.
 */
import '../load-env.js';
import { parseArgs } from 'node:util';
import { collectionDirs, collectionName, DEFAULT_COLLECTION } from '../collections.js';
import { loadConfig } from '../config.js';
import { VerbatimError } from '../errors.js';
import { copyStore } from '../index/copy.js';
import { EmbeddedStore } from '../index/embedded/store.js';
import { closePools } from '../index/postgres/pool.js';
import { PostgresStore } from '../index/postgres/store.js';

const fail = (message: string, code: number) => {
  process.stderr.write(`copy-to-postgres: ${message}\n`);
  process.exitCode = code;
};

try {
  const { values } = parseArgs({ options: { collection: { type: 'string', default: DEFAULT_COLLECTION } } });
  const url = process.env.DATABASE_URL;
  if (!url) {
    fail('DATABASE_URL is not set: give the connection string of a PostgreSQL database with pgvector.', 2);
  } else {
    const name = collectionName(values.collection);
    const source = new EmbeddedStore(collectionDirs(loadConfig(), name).storeDir);
    const target = new PostgresStore(url, name);
    const report = await copyStore(source, target, (done, total) => process.stderr.write(`copied ${done}/${total} documents\n`));
    process.stdout.write(`Copied ${report.documents} documents (${report.passages} passages) from ${source.location} into ${target.location} in ${report.seconds.toFixed(1)} s.\n`);
  }
} catch (error) {
  if (error instanceof VerbatimError) fail(`${error.message} [${error.code}]`, error.kind === 'user' ? 2 : 1);
  else if (error instanceof TypeError && 'code' in error) fail(error.message, 2);
  else throw error;
} finally {
  await closePools();
}
