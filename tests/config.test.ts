/** Settings from the environment: defaults, and one clear line naming the setting when one is bad. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';

/** The one-line message loadConfig throws for `env`. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', kind: 'user' });
    return (error as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('fills in the defaults, and treats a blank setting as unset', () => {
    const config = loadConfig({ COOLDOWN_SECONDS: '  ', MENTION_REPLIES: '' });
    expect(config).toEqual({
      corpusDir: path.resolve('corpus'),
      storeDir: path.resolve('embeddings'),
      collectionsDir: path.resolve('collections'),
      collection: 'default',
      sharedCollections: ['default'],
      collectionsFile: undefined,
      collectionMemoryMb: 1024,
      modelDir: path.join(PROJECT_ROOT, 'embeddings', 'models'),
      modelName: 'all-MiniLM-L6-v2',
      discordToken: undefined,
      discordApiBase: 'https://discord.com/api',
      discordGuildId: undefined,
      mentionChannels: 'off',
      cooldownSeconds: 5,
      logLevel: 'info',
      fetchMaxBytes: 5 * 1024 * 1024,
      fetchTimeoutMs: 20_000,
      allowPrivateFetch: false,
      feedPollMinutes: 60,
      ingestRoleId: undefined,
      databaseUrl: undefined,
      shards: 1,
      shardList: undefined,
    });
  });

  it('reads SHARDS as "auto" or a count, and leaves it to discord.js in a shard process', () => {
    expect(loadConfig({ SHARDS: 'auto' }).shards).toBe('auto');
    expect(loadConfig({ SHARDS: ' 4 ' }).shards).toBe(4);
    for (const bad of ['0', '2.5', 'many', '-1']) {
      expect(problem({ SHARDS: bad })).toBe(`Setting SHARDS is invalid: "${bad}" is not "auto" or a whole number of at least 1.`);
    }
    // ShardingManager gives each shard process SHARDS=<its id>: that process is one shard.
    expect(loadConfig({ SHARDS: '0', SHARD_LIST: '0', SHARDING_MANAGER: 'true' })).toMatchObject({ shards: 1, shardList: undefined });
  });

  it('reads SHARD_LIST as the ids of SHARDS this machine runs', () => {
    expect(loadConfig({ SHARDS: '4', SHARD_LIST: '2, 3,2' }).shardList).toEqual([2, 3]);
    expect(problem({ SHARDS: '4', SHARD_LIST: '2,x' })).toBe('Setting SHARD_LIST is invalid: "2,x" is not a list of shard ids (0,1,…).');
    expect(problem({ SHARDS: '4', SHARD_LIST: '3,4' })).toBe('Setting SHARD_LIST is invalid: "3,4" names shard 4, but SHARDS is 4 (ids 0 to 3).');
    expect(problem({ SHARDS: 'auto', SHARD_LIST: '0' })).toBe('Setting SHARD_LIST is invalid: "0" needs SHARDS to be the number of shards on all machines, not auto.');
  });

  it('reads the collections settings: an empty SHARED_COLLECTIONS shares nothing, a bad name is refused', () => {
    expect(loadConfig({ SHARED_COLLECTIONS: ' news , default,news ', VERBATIM_COLLECTION: 'alpha' })).toMatchObject({ sharedCollections: ['news', 'default'], collection: 'alpha' });
    expect(loadConfig({ SHARED_COLLECTIONS: '' }).sharedCollections).toEqual([]);
    expect(problem({ SHARED_COLLECTIONS: 'default,../x' })).toMatch(/^Setting SHARED_COLLECTIONS is invalid: .+ is not a collection name/);
    expect(problem({ VERBATIM_COLLECTION: 'A B' })).toMatch(/^Setting VERBATIM_COLLECTION is invalid: "A B" is not a collection name/);
  });

  it('reads and trims what is set', () => {
    const config = loadConfig({
      CORPUS_DIR: ' /data/articles ',
      DISCORD_TOKEN: ' abc.def.ghi ',
      DISCORD_API_BASE: 'http://127.0.0.1:5000/api//',
      MENTION_REPLIES: 'all',
      COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'debug',
      ALLOW_PRIVATE_FETCH: 'Yes',
      FEED_POLL_MINUTES: '2.5',
    });
    expect(config).toMatchObject({
      corpusDir: '/data/articles',
      discordToken: 'abc.def.ghi',
      discordApiBase: 'http://127.0.0.1:5000/api',
      mentionChannels: 'all',
      cooldownSeconds: 0,
      logLevel: 'debug',
      allowPrivateFetch: true,
      feedPollMinutes: 2.5,
    });
    expect(loadConfig({ ALLOW_PRIVATE_FETCH: 'off' }).allowPrivateFetch).toBe(false);
  });

  it('names the setting and its value in one line when one is bad', () => {
    expect(problem({ COOLDOWN_SECONDS: 'soon' })).toBe('Setting COOLDOWN_SECONDS is invalid: "soon" is not a non-negative number.');
    expect(problem({ FETCH_MAX_BYTES: '-1' })).toBe('Setting FETCH_MAX_BYTES is invalid: "-1" is not a non-negative number.');
    expect(problem({ FETCH_TIMEOUT_MS: 'Infinity' })).toBe('Setting FETCH_TIMEOUT_MS is invalid: "Infinity" is not a non-negative number.');
    expect(problem({ FEED_POLL_MINUTES: '1 hour' })).toBe('Setting FEED_POLL_MINUTES is invalid: "1 hour" is not a non-negative number.');
    expect(problem({ ALLOW_PRIVATE_FETCH: 'maybe' })).toBe('Setting ALLOW_PRIVATE_FETCH is invalid: "maybe" is not true or false.');
    expect(problem({ MENTION_REPLIES: 'some' })).toBe('Setting MENTION_REPLIES is invalid: "some" is not one of off, all.');
    expect(problem({ LOG_LEVEL: 'loud' })).toBe('Setting LOG_LEVEL is invalid: "loud" is not one of debug, info, warn, error.');
    expect(problem({ DISCORD_API_BASE: 'discord.com/api' })).toBe(
      'Setting DISCORD_API_BASE is invalid: "discord.com/api" does not start with http:// or https://.',
    );
  });

  it('keeps the message on one line whatever the value holds', () => {
    expect(problem({ LOG_LEVEL: 'info\nexit' })).toBe('Setting LOG_LEVEL is invalid: "info\\nexit" is not one of debug, info, warn, error.');
  });
});
