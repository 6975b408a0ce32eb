/** A real discord.js bot (createBot) logged in to the loopback Discord server, over a real searcher. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { createBot } from '../../src/bot/client.js';
import { commands as defaultCommands } from '../../src/bot/commands/index.js';
import { createLogger } from '../../src/log.js';
import { registerCommands } from '../../src/bot/register.js';
import type { Command } from '../../src/bot/types.js';
import type { Config } from '../../src/config.js';
import type { Searcher } from '../../src/answer/searcher.js';
import { openSearcher } from '../../src/answer/open.js';
import { logIn, startFakeDiscord, type FakeDiscord, type RecordedCall } from '../harness/fake-discord.js';
import { copySeedCorpus, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';

/** Articles added to the seeds: one quotes mentions, one has a single 5,000-character sentence. */
export const EXTRA_ARTICLES: Record<string, string> = {
  '900_library.txt': [
    'Town library reopens',
    '',
    'The town council announced on Tuesday that the new public library will open on 3 May. A council notice addressed to @everyone in the district and to <@&123456789012345678> said the library would offer free membership to all residents. The library cost 4 million pounds to build.',
    '',
  ].join('\n'),
  '901_flood_report.txt': (() => {
    const rivers = ['Thames', 'Severn', 'Trent', 'Wye', 'Ouse', 'Tyne', 'Tees', 'Mersey', 'Avon', 'Dee', 'Exe', 'Tamar', 'Medway', 'Nene', 'Welland'];
    const works: string[] = [];
    for (let i = 0; works.join('; ').length < 5000; i++) {
      works.push(`flood defences along the ${rivers[i % rivers.length]} at mile ${i + 3} were inspected by the regional water authority engineers`);
    }
    const sentence = `The regional water authority report listed the works completed this year, in which ${works.join('; ')}.`;
    return [
      'Flood defences report',
      '',
      'The regional water authority published its annual flood defence report on Monday.',
      '',
      sentence,
      '',
      'The authority said further inspections would follow in the spring.',
      '',
    ].join('\n');
  })(),
};

export interface Corpus {
  dir: string;
  store: string;
  searcher: Searcher;
  cleanup(): Promise<void>;
}

/** The seed articles plus EXTRA_ARTICLES in a temporary folder, indexed into a temporary store. */
export async function openTestCorpus(): Promise<Corpus> {
  const dir = await copySeedCorpus();
  for (const [name, text] of Object.entries(EXTRA_ARTICLES)) await fs.writeFile(path.join(dir, name), text, 'utf8');
  const store = await temporaryFolder('verbatim-store-');
  const searcher = await openSearcher({ corpusDir: dir, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
  return {
    dir,
    store,
    searcher,
    cleanup: async () => {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(store, { recursive: true, force: true });
    },
  };
}

export interface RunningBot {
  discord: FakeDiscord;
  logs: string[];
  stop(): Promise<void>;
}

export async function startBot(
  searcher: Searcher,
  options: { config?: Partial<Pick<Config, 'mentionChannels' | 'cooldownSeconds' | 'allowPrivateFetch' | 'fetchTimeoutMs'>>; commands?: Command[] } = {},
): Promise<RunningBot> {
  const discord = await startFakeDiscord();
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', secrets: [discord.token], write: (line) => logs.push(line) });
  const commands = options.commands ?? defaultCommands;
  const { client } = createBot({
    searcher,
    log,
    commands,
    config: { discordApiBase: discord.restUrl, mentionChannels: 'all', cooldownSeconds: 60, ...options.config },
  });
  await registerCommands({ token: discord.token, apiBase: discord.restUrl, guildId: discord.guildId, commands });
  await logIn(client, discord);
  return {
    discord,
    logs,
    stop: async () => {
      await client.destroy();
      await discord.close();
    },
  };
}

const SLOW = 15_000;

export function callbackOf(discord: FakeDiscord, sent: { id: string; token: string }): Promise<RecordedCall> {
  return discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` }, SLOW);
}

/** The first successful edit of the interaction's original message. */
export function editOf(discord: FakeDiscord, sent: { token: string }): Promise<RecordedCall> {
  const path = `/webhooks/${discord.applicationId}/${sent.token}/messages/@original`;
  return discord.waitForCall((call) => call.method === 'PATCH' && call.path === path && call.status === 200, SLOW);
}

export function followUpOf(discord: FakeDiscord, sent: { token: string }): Promise<RecordedCall> {
  return discord.waitForCall({ method: 'POST', path: `/webhooks/${discord.applicationId}/${sent.token}` }, SLOW);
}

export function originalMessage(discord: FakeDiscord, sent: { id: string }): APIMessage {
  const id = discord.interactionState(sent.id).originalMessageId;
  const message = id ? discord.message(id) : undefined;
  if (!message) throw new Error(`interaction ${sent.id} has no original message`);
  return message;
}

export function onlyEmbed(message: { embeds?: APIEmbed[] }): APIEmbed {
  expect(message.embeds).toHaveLength(1);
  return message.embeds![0]!;
}

/** The custom_id of the button labelled `label` on a message. */
export function buttonId(message: APIMessage, label: string): string {
  for (const row of message.components ?? []) {
    for (const component of (row as { components?: Array<{ label?: string; custom_id?: string }> }).components ?? []) {
      if (component.label === label && component.custom_id) return component.custom_id;
    }
  }
  throw new Error(`no "${label}" button on message ${message.id}`);
}

export function buttonLabels(message: APIMessage): string[] {
  return (message.components ?? []).flatMap((row) => ((row as { components?: Array<{ label?: string }> }).components ?? []).map((c) => c.label ?? ''));
}

/** For one test file: the bot over the test corpus, started before its tests and stopped after. */
export function useBotOverTestCorpus(): { corpus: Corpus; bot: RunningBot } {
  const running = {} as { corpus: Corpus; bot: RunningBot };
  beforeAll(async () => {
    running.corpus = await openTestCorpus();
    running.bot = await startBot(running.corpus.searcher);
  });
  afterAll(async () => {
    await running.bot?.stop();
    await running.corpus?.cleanup();
  });
  return running;
}
