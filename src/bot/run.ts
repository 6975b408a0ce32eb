/** `npm start` with a token: log in, serve until SIGINT or SIGTERM, then leave cleanly. */
import type { Config } from '../config.js';
import { createError, withCause } from '../errors.js';
import type { Searcher } from '../answer/searcher.js';
import { startIngestion } from '../ingest/running.js';
import { createBot } from './client.js';
import type { Logger } from '../log.js';

export async function runBot(searcher: Searcher, config: Config & { discordToken: string }, log: Logger): Promise<number> {
  // The corpus stays live: changes, /ingest, /forget and feed polls swap in a new Searcher.
  const ingestion = startIngestion(searcher, config, log);
  const { client, context } = createBot({ searcher, config, log, ingest: ingestion.access });
  ingestion.attach(context);
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
    const detail = error instanceof Error ? error.message : String(error);
    throw withCause(createError('DISCORD_LOGIN_FAILED', detail), error);
  }
  const signal = await stopped;
  log.info('shutting down', { signal });
  await client.destroy();
  await ingestion.close();
  return 0;
}
