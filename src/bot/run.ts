/** `npm start` with a token: log in, serve until SIGINT or SIGTERM, then leave cleanly. */
import type { Config } from '../config.js';
import { loadCollectionsFile } from '../collections.js';
import { createError, withCause } from '../errors.js';
import { loadEmbedder } from '../answer/open.js';
import { OpenCollections } from '../answer/open-collections.js';
import { CollectionIngestion } from '../ingest/collections.js';
import { createBot } from './client.js';
import { collectionsLibrary } from './library.js';
import { postWatches } from './watch-posts.js';
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
  // With a shared database, what other processes (shards, the command line) write is taken in at once.
  try {
    await collections.followStore();
    for (const name of config.sharedCollections) if (await collections.exists(name)) await collections.live(name);
  } catch (error) {
    await collections.close();
    throw error;
  }
  // Each collection stays live: changes, /ingest, /forget and feed polls swap in its new Searcher.
  const ingestion = new CollectionIngestion(collections, config, log).start();
  const library = collectionsLibrary(ingestion, file, config.ingestRoleId);
  const { client } = createBot({ library, config, log });
  // After each rebuild, what watched topics' new sentences say is posted to their channels.
  const posting = postWatches(client, ingestion, library, log);
  // A stray rejection is logged, never fatal: the bot keeps serving everyone else.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));

  const stopped = new Promise<string>((resolve) => {
    // A shard process may get a signal twice (from the terminal and from its manager): the second changes nothing.
    const listen = process.env.SHARDING_MANAGER ? process.on.bind(process) : process.once.bind(process);
    listen('SIGINT', () => resolve('SIGINT'));
    listen('SIGTERM', () => resolve('SIGTERM'));
    // A shard process whose manager is gone stops too.
    process.once('disconnect', () => resolve('manager gone'));
  });
  try {
    await client.login(config.discordToken);
  } catch (error) {
    await posting.stop();
    await client.destroy();
    await ingestion.close();
    const detail = error instanceof Error ? error.message : String(error);
    throw withCause(createError('DISCORD_LOGIN_FAILED', detail), error);
  }
  const signal = await stopped;
  log.info('shutting down', { signal });
  await posting.stop();
  await client.destroy();
  await ingestion.close();
  return 0;
}
