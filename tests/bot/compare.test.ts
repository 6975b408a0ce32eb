/** /compare and the coverage lines of /ask, on the real bot over the seed articles. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeMarkdown } from '../../src/present/discord.js';
import { displayText } from '../../src/present/text.js';
import { fileText } from '../helpers/seeds.js';
import { callbackOf, editOf, onlyEmbed, openTestCorpus, originalMessage, startBot, type Corpus, type RunningBot } from './harness.js';

let corpus: Corpus;
let bot: RunningBot;

beforeAll(async () => {
  corpus = await openTestCorpus();
  bot = await startBot(corpus.searcher);
});
afterAll(async () => {
  await bot?.stop();
  await corpus?.cleanup();
});

function slash(name: string, options: Record<string, string>) {
  return bot.discord.sendSlashCommand({ name, options, user: bot.discord.createUser() });
}

describe('/compare', () => {
  it('lists what each source says, verbatim, and where their figures differ', async () => {
    const sent = slash('compare', { topic: 'territory Ukraine holds in Kursk' });
    expect((await callbackOf(bot.discord, sent)).body).toMatchObject({ type: 5 });
    const edit = await editOf(bot.discord, sent);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const embed = onlyEmbed(originalMessage(bot.discord, sent));
    expect(embed.title).toBe('Compare: territory Ukraine holds in Kursk');
    const fields = embed.fields ?? [];
    const differ = fields.find((f) => f.name === 'Sources differ');
    expect(differ?.value).toMatch(/700 square kilometers/);
    expect(differ?.value).toMatch(/90 sq km/);

    const texts = await Promise.all(corpus.searcher.sources().map(async (s) => displayText(await fileText(corpus.dir, s.path))));
    const quoted = fields.filter((f) => f !== differ).flatMap((f) => [...f.value.matchAll(/“(.*?)”/g)].map((m) => unescapeMarkdown(m[1]!)));
    expect(quoted.length).toBeGreaterThan(2);
    for (const quote of quoted) expect(texts.some((text) => text.includes(quote.replace(/ ?…$/, '')))).toBe(true);
  });

  it('says plainly when nothing covers the topic', async () => {
    const sent = slash('compare', { topic: 'banana bread recipes' });
    await editOf(bot.discord, sent);
    expect(onlyEmbed(originalMessage(bot.discord, sent)).description).toMatch(/^No coverage of that/);
  });
});

describe('/ask shows corroboration', () => {
  it('counts retellings as one report', async () => {
    const sent = slash('ask', { question: 'How many soldiers did North Korea send to Kursk?' });
    await editOf(bot.discord, sent);
    const description = onlyEmbed(originalMessage(bot.discord, sent)).description ?? '';
    expect(description).toMatch(/Also reported by .+ — \d sources \(1 report and \d retellings?\)/);
  });
});
