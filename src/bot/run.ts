/** `npm start` with a token: log in, serve until SIGINT or SIGTERM, then leave cleanly. */
import type { Config } from '../config.js';
import { loadCollectionsFile } from '../collections.js';
import { createError, withCause } from '../errors.js';
import { loadEmbedder } from '../answer/open.js';
import { OpenCollections } from '../answer/open-collections.js';
import { CollectionIngestion } from '../ingest/collections.js';
import { createBot } from './client.js';
import { collectionsLibrary } from './library.js';
import type { Logger } from '../log.js';

const MIB = 1024 * 1024;

/**
 * Each server reads its own collection and the shared ones. A bad COLLECTIONS_FILE stops the start
 * with one line (FILE_INVALID); the shared collections are opened (and indexed) before logging in,
 * the others when first asked about.
 */
export async function runBot(config: Config & { discordToken: string }, log: Logger): Promise<number> {
  const file = config.collectionsFile ? await loadCollectionsFile(config.collectionsFile) : undefined;
  const collections = new OpenCollections({ ...config, memoryBytes: config.collectionMemoryMb * MIB, log }, await loadEmbedder(config));
  for (const name of config.sharedCollections) if (await collections.exists(name)) await collections.live(name);
  // Each collection stays live: changes, /ingest, /forget and feed polls swap in its new Searcher.
  const ingestion = new CollectionIngestion(collections, config, log).start();
  const { client } = createBot({ library: collectionsLibrary(ingestion, file, config.ingestRoleId), config, log });
  // A stray rejection is logged, never fatal: the bot keeps serving everyone else.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));

  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    await client.login(config.discordToken);
  } catch (error) {
    await client.destroy();
    await ingestion.close();
    const detail = error instanceof Error ? error.message : String(error);
    throw withCause(createError('DISCORD_LOGIN_FAILED', detail), error);
  }
  const signal = await stopped;
  log.info('shutting down', { signal });
  await client.destroy();
  await ingestion.close();
  return 0;
}
