/** /ask and /compare with since, until and outlet, and outlet autocomplete, on the real bot over a dated corpus. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MessageFlags } from 'discord.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { openSearcher } from '../../src/answer/open.js';
import { MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';
import { callbackOf, editOf, onlyEmbed, originalMessage, startBot, type RunningBot } from './harness.js';

const DATED_CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dated-corpus');
let bot: RunningBot;
let store: string;
beforeAll(async () => {
  store = await temporaryFolder('verbatim-bot-dates-');
  bot = await startBot(await openSearcher({ corpusDir: DATED_CORPUS, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME }));
});
afterAll(async () => {
  await bot?.stop();
  await fs.rm(store, { recursive: true, force: true });
});

const slash = (name: string, options: Record<string, string>) => bot.discord.sendSlashCommand({ name, options, user: bot.discord.createUser() });

describe('filters in Discord', () => {
  it('/ask with since answers from that window only, shows each quote with its date, and says what the filter left out', async () => {
    const sent = slash('ask', { question: 'How much of the Doran valley do rebels hold?', since: '2025-01-01' });
    await editOf(bot.discord, sent);
    const embed = onlyEmbed(originalMessage(bot.discord, sent));
    expect(embed.description).toMatch(/90 square kilometres/);
    expect(embed.description).not.toMatch(/700 square kilometres/);
    expect(embed.description).toMatch(/2025-07-02/);
    expect(embed.footer?.text).toMatch(/Only sources since 2025-01-01; 1 undated document left out/);
  });

  it('/compare with an outlet keeps that outlet only, each source with its date', async () => {
    const sent = slash('compare', { topic: 'territory rebels hold in the Doran valley', outlet: 'northern ledger' });
    await editOf(bot.discord, sent);
    const embed = onlyEmbed(originalMessage(bot.discord, sent));
    const names = (embed.fields ?? []).map((f) => f.name);
    expect(names).toEqual(['Rebels Dig In Along the Doran Valley — 2024-12-10']);
  });

  it('refuses a bad date with one ephemeral sentence', async () => {
    const sent = slash('ask', { question: 'How much of the Doran valley do rebels hold?', until: 'last week' });
    const callback = await callbackOf(bot.discord, sent);
    const data = (callback.body as { type: number; data: { content: string; flags: number } }).data;
    expect(data.content).toMatch(/^until "last week" is not a date\. .*\(FILTER_INVALID\)$/);
    expect(data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('autocompletes outlets from the corpus', async () => {
    const all = bot.discord.sendAutocomplete({ name: 'ask', focusedOption: 'outlet', value: '', options: { question: 'x' }, user: bot.discord.createUser() });
    const choices = ((await callbackOf(bot.discord, all)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.map((c) => c.value).sort()).toEqual(['Harbour Wire', 'Northern Ledger', 'Valley Times']);
    const some = bot.discord.sendAutocomplete({ name: 'compare', focusedOption: 'outlet', value: 'wire', options: { topic: 'x' }, user: bot.discord.createUser() });
    const narrowed = ((await callbackOf(bot.discord, some)).body as { data: { choices: { value: string }[] } }).data.choices;
    expect(narrowed.map((c) => c.value)).toEqual(['Harbour Wire']);
  });
});

describe('/timeline', () => {
  it('sends the chart of a topic over time as a PNG attachment, saying how many sources are undated', async () => {
    const sent = slash('timeline', { topic: 'the Doran valley' });
    const edit = await editOf(bot.discord, sent);
    expect(edit.status).toBe(200);
    expect(originalMessage(bot.discord, sent).content).toBe('3 dated sources on the topic; 1 undated not shown.');
    const png = edit.files.find((f) => f.name === 'timeline.png');
    expect(png?.data.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png!.data.readUInt32BE(16), png!.data.readUInt32BE(20)]).toEqual([1200, 600]);
  });
});
