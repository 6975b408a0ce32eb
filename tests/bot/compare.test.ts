/** /compare and the coverage lines of /ask, on the real bot over the seed articles. */
import { describe, expect, it } from 'vitest';
import { unescapeMarkdown } from '../../src/present/discord/markdown.js';
import { displayText } from '../../src/present/text.js';
import { fileText } from '../helpers/seeds.js';
import { callbackOf, editOf, onlyEmbed, originalMessage, useBotOverTestCorpus } from './harness.js';

const running = useBotOverTestCorpus();

function slash(name: string, options: Record<string, string>) {
  const { discord } = running.bot;
  return discord.sendSlashCommand({ name, options, user: discord.createUser() });
}

describe('/compare', () => {
  it('lists what each source says, verbatim, and where their figures differ', async () => {
    const sent = slash('compare', { topic: 'territory Ukraine holds in Kursk' });
    const { discord } = running.bot;
    expect((await callbackOf(discord, sent)).body).toMatchObject({ type: 5 });
    const edit = await editOf(discord, sent);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const embed = onlyEmbed(originalMessage(discord, sent));
    expect(embed.title).toBe('Compare: territory Ukraine holds in Kursk');
    const fields = embed.fields ?? [];
    const differ = fields.find((f) => f.name === 'Sources differ');
    expect(differ?.value).toMatch(/700 square kilometers/);
    expect(differ?.value).toMatch(/90 sq km/);

    const corpus = running.corpus;
    const texts = await Promise.all(corpus.searcher.sources().map(async (s) => displayText(await fileText(corpus.dir, s.path))));
    const quoted = fields.filter((f) => f !== differ).flatMap((f) => [...f.value.matchAll(/“(.*?)”/g)].map((m) => unescapeMarkdown(m[1]!)));
    expect(quoted.length).toBeGreaterThan(2);
    for (const quote of quoted) expect(texts.some((text) => text.includes(quote.replace(/ ?…$/, '')))).toBe(true);
  });

  it('says plainly when nothing covers the topic', async () => {
    const sent = slash('compare', { topic: 'banana bread recipes' });
    const { discord } = running.bot;
    await editOf(discord, sent);
    expect(onlyEmbed(originalMessage(discord, sent)).description).toMatch(/^No coverage of that/);
  });
});

describe('/ask shows corroboration', () => {
  it('counts retellings as one report', async () => {
    const sent = slash('ask', { question: 'How many soldiers did North Korea send to Kursk?' });
    const { discord } = running.bot;
    await editOf(discord, sent);
    const description = onlyEmbed(originalMessage(discord, sent)).description ?? '';
    expect(description).toMatch(/Also reported by .+ — \d sources \(1 report and \d retellings?\)/);
  });
});
