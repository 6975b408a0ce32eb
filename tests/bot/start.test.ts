/**
 * The entry points as built: `npm run register` (dist/bot/register-cli.js) and `npm start` with a
 * token (dist/main.js), run as child processes against the loopback Discord server.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/bot/commands/index.js';
import { startFakeDiscord, type FakeDiscord } from '../harness/fake-discord.js';
import { runBuilt, type Run } from '../helpers/built.js';
import { SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { callbackOf, editOf, onlyEmbed, originalMessage } from './harness.js';

let discord: FakeDiscord;
let cwd: string;
let store: string;

beforeAll(async () => {
  discord = await startFakeDiscord();
  // An empty working directory, so that no developer's .env is read.
  cwd = await temporaryFolder('verbatim-cwd-');
  store = await temporaryFolder('verbatim-store-');
});
afterAll(async () => {
  await discord?.close();
  await fs.rm(cwd, { recursive: true, force: true });
  await fs.rm(store, { recursive: true, force: true });
});

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DISCORD_|MENTION_|COOLDOWN_|LOG_LEVEL)/.test(key)));
  return {
    ...env,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.restUrl,
    DISCORD_GUILD_ID: '',
    CORPUS_DIR: SEED_CORPUS,
    STORE_DIR: store,
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

const run = (script: string, env: NodeJS.ProcessEnv): Run => runBuilt(script, env, cwd);

describe('npm run register', () => {
  it('registers the commands globally, or to DISCORD_GUILD_ID', async () => {
    const global = run('bot/register-cli.js', environment());
    expect(await global.exited).toEqual({ code: 0, signal: null });
    const names = commands.map((c) => c.data.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'compare', 'Check coverage', 'source', 'sources', 'help']));
    expect(global.output()).toBe(`Registered ${names.length} commands globally: ${names.join(', ')}\n`);
    expect((await discord.waitForCall({ method: 'PUT', path: `/applications/${discord.applicationId}/commands` })).status).toBe(200);
    expect(discord.commands.global.map((c) => c.name)).toEqual(names);

    const guild = run('bot/register-cli.js', environment({ DISCORD_GUILD_ID: discord.guildId }));
    expect(await guild.exited).toEqual({ code: 0, signal: null });
    expect(guild.output()).toContain(`Registered ${names.length} commands to server ${discord.guildId}`);
    expect(discord.commands.guild).toHaveLength(names.length);
    expect(global.output() + guild.output()).not.toContain(discord.token);
  });

  it('fails in one line without a token, exit 2 (a setting to fix, not a failure)', async () => {
    const missing = run('bot/register-cli.js', environment({ DISCORD_TOKEN: '' }));
    expect((await missing.exited).code).toBe(2);
    expect(missing.output()).toMatch(/register failed: DISCORD_TOKEN is not set/);
    expect(missing.output().trim().split('\n')).toHaveLength(1);
  });
});

describe('npm start with a bad setting', () => {
  it('says which setting and why in one line, without a stack, and exits 2', async () => {
    const bad = run('main.js', environment({ FETCH_TIMEOUT_MS: 'twenty seconds' }));
    expect(await bad.exited).toEqual({ code: 2, signal: null });
    expect(bad.output()).toBe('verbatim: Setting FETCH_TIMEOUT_MS is invalid: "twenty seconds" is not a non-negative number. [CONFIG_INVALID]\n');
  });

  it('says in one line what is wrong with COLLECTIONS_FILE (not JSON, or a bad collection name), and exits 2', async () => {
    const file = path.join(cwd, 'collections.json');
    for (const [contents, problem] of [
      ['{"guilds": ', /Cannot use .+collections\.json: .*JSON/],
      ['{"guilds": {"123": "Research Team"}}', /Cannot use .+collections\.json: guilds\.123: "Research Team" is not a collection name/],
    ] as const) {
      await fs.writeFile(file, contents);
      const bad = run('main.js', environment({ COLLECTIONS_FILE: file }));
      expect((await bad.exited).code).toBe(2);
      const lines = bad.output().trim().split('\n').filter((line) => /\berror\b|ERROR/i.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(problem);
      expect(bad.output()).not.toMatch(/\n\s+at /);
    }
  });
});

describe('npm start with DISCORD_TOKEN', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('builds the index if needed, serves /ask, and exits 0 on %s', async (signal) => {
    // SHARDS=1 (as unset) is this one process, whatever discord.js would make of SHARDS in the environment.
    const bot = run('main.js', environment({ COOLDOWN_SECONDS: '0', ...(signal === 'SIGINT' ? { SHARDS: '1' } : {}) }));
    try {
      await bot.waitFor('connected to Discord');
      const sent = discord.sendSlashCommand({ name: 'ask', options: { question: 'How many soldiers did North Korea send to Kursk?' } });
      expect((await callbackOf(discord, sent)).body).toMatchObject({ type: 5 });
      await editOf(discord, sent);
      expect(onlyEmbed(originalMessage(discord, sent)).description).toMatch(/11,000/);
      bot.child.kill(signal);
      expect(await bot.exited).toEqual({ code: 0, signal: null });
      expect(bot.output()).toContain(`shutting down signal=${signal}`);
      expect(bot.output()).not.toContain(discord.token);
    } finally {
      bot.child.kill('SIGKILL');
    }
  });
});
