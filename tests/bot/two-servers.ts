/** A real bot with collections on the loopback Discord, hosting two servers (A, B) that each have an admin with Manage Server. */
import path from 'node:path';
import { PermissionFlagsBits, type APIUser, type Client } from 'discord.js';
import { loadEmbedder } from '../../src/answer/open.js';
import { OpenCollections } from '../../src/answer/open-collections.js';
import { createBot } from '../../src/bot/client.js';
import { commands } from '../../src/bot/commands/index.js';
import { collectionsLibrary, type BotLibrary } from '../../src/bot/library.js';
import { registerCommands } from '../../src/bot/register.js';
import { loadConfig } from '../../src/config.js';
import { CollectionIngestion } from '../../src/ingest/collections.js';
import { createLogger, type Logger } from '../../src/log.js';
import { logIn, startFakeDiscord, type FakeDiscord } from '../harness/fake-discord.js';
import { MODEL_DIR, MODEL_NAME } from '../helpers/seeds.js';

export interface TwoServers {
  discord: FakeDiscord;
  client: Client;
  ingestion: CollectionIngestion;
  library: BotLibrary;
  log: Logger;
  guilds: Record<'a' | 'b', string>;
  channels: Record<'a' | 'b', string>;
  admins: Record<'a' | 'b', APIUser>;
  stop(): Promise<void>;
}

/** The shared `default` collection is `<root>/corpus` (made by the caller); the servers' own ones go under `<root>/collections`. */
export async function startTwoServers(root: string, writeLog: (line: string) => void): Promise<TwoServers> {
  const discord = await startFakeDiscord();
  const second = discord.addGuild('Second research group');
  const guilds = { a: discord.guildId, b: second.guildId };
  const channels = { a: discord.channelId, b: second.channelId };
  const admins = {} as Record<'a' | 'b', APIUser>;
  for (const key of ['a', 'b'] as const) {
    const role = discord.createRole('admins', PermissionFlagsBits.ManageGuild, guilds[key]);
    admins[key] = discord.createUser({ username: `admin-${key}`, roles: [role.id], guilds: [guilds[key]] });
  }
  const config = loadConfig({
    CORPUS_DIR: path.join(root, 'corpus'),
    STORE_DIR: path.join(root, 'store'),
    COLLECTIONS_DIR: path.join(root, 'collections'),
    ALLOW_PRIVATE_FETCH: 'true',
    FEED_POLL_MINUTES: '0',
    FETCH_TIMEOUT_MS: '3000',
  });
  const log = createLogger({ level: 'debug', secrets: [discord.token], write: writeLog });
  const collections = new OpenCollections({ ...config, modelDir: MODEL_DIR, modelName: MODEL_NAME, memoryBytes: 256 * 1024 * 1024, debounceMs: 150, log }, await loadEmbedder({ modelDir: MODEL_DIR, modelName: MODEL_NAME }));
  await collections.live('default');
  const ingestion = new CollectionIngestion(collections, config, log);
  const library = collectionsLibrary(ingestion, undefined, undefined);
  const { client } = createBot({ library, log, commands, config: { discordApiBase: discord.restUrl, mentionChannels: 'off', cooldownSeconds: 0 } });
  await registerCommands({ token: discord.token, apiBase: discord.restUrl, commands });
  await logIn(client, discord);
  return {
    discord,
    client,
    ingestion,
    library,
    log,
    guilds,
    channels,
    admins,
    stop: async () => {
      await client.destroy();
      await discord.close();
      await ingestion.close();
    },
  };
}
