/**
 * `npm run copy-to-postgres [-- --collection NAME]`: copies a collection's embedded store (STORE_DIR
 * for `default`, COLLECTIONS_DIR/NAME/store otherwise) into the PostgreSQL database DATABASE_URL
 * names, as that collection (`default` unless told), without reading
 * the corpus or embedding anything, and replacing what that collection held. Afterwards every
 * process started with DATABASE_URL answers from the database, and the collection's corpus folder
 * (given its .verbatim-folder id if it had none) is the one it is indexed from.
 */
import '../load-env.js';
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { collectionDirs, collectionName, DEFAULT_COLLECTION } from '../collections.js';
import { loadConfig } from '../config.js';
import { VerbatimError } from '../errors.js';
import { copyStore } from '../index/copy.js';
import { EmbeddedStore } from '../index/embedded/store.js';
import { FOLDER_ID_FILE, recordCorpusFolder } from '../index/folder-identity.js';
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
    const { corpusDir, storeDir } = collectionDirs(loadConfig(), name);
    const source = new EmbeddedStore(storeDir);
    const target = new PostgresStore(url, name);
    const report = await copyStore(source, target, (done, total) => process.stderr.write(`copied ${done}/${total} documents\n`));
    process.stdout.write(`Copied ${report.documents} documents (${report.passages} passages) from ${source.location} into ${target.location} in ${report.seconds.toFixed(1)} s.\n`);
    // The folder the copy came from keeps indexing the collection (see src/index/folder-identity.ts).
    if ((await fs.stat(corpusDir).catch(() => null))?.isDirectory()) {
      const id = await recordCorpusFolder(target, corpusDir);
      process.stdout.write(`The collection's corpus folder is ${corpusDir} (${FOLDER_ID_FILE} ${id}).\n`);
    }
  }
} catch (error) {
  if (error instanceof VerbatimError) fail(`${error.message} [${error.code}]`, error.kind === 'user' ? 2 : 1);
  else if (error instanceof TypeError && 'code' in error) fail(error.message, 2);
  else throw error;
} finally {
  await closePools();
}
