/**
 * /ask, its buttons, "Check coverage", /source, /sources and /help: the real bot, logged in to the
 * loopback Discord server, answering from the real index of the seed articles (plus two made-up
 * ones: a quote with "@everyone" and a role mention, and a 5,000-character sentence).
 */
import { MessageFlags, type APIEmbed, type APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ANSWER_QUOTES } from '../../src/bot/answers.js';
import { charCount } from '../../src/present/discord/limits.js';
import { unescapeMarkdown } from '../../src/present/discord/markdown.js';
import { displayText } from '../../src/present/text.js';
import type { Answer } from '../../src/answer/types.js';
import { fileText } from '../helpers/seeds.js';
import {
  buttonId,
  buttonLabels,
  callbackOf,
  editOf,
  onlyEmbed,
  originalMessage,
  useBotOverTestCorpus,
} from './harness.js';

const running = useBotOverTestCorpus();

/** The numbered quotes of an answer embed: number and displayed text (markdown escapes undone). */
function quotesIn(embed: APIEmbed): Array<{ number: number; text: string; citation: string }> {
  const found = [...(embed.description ?? '').matchAll(/\*\*(\d+)\.\*\* “(.*)”\n— (.*)/g)];
  return found.map((m) => ({ number: Number(m[1]), text: unescapeMarkdown(m[2]!), citation: m[3]! }));
}

/** Every quote shown is an exact span of its source file, and shown (perhaps trimmed) word for word. */
async function expectVerbatim(embed: APIEmbed, answer: Answer): Promise<number> {
  const shown = quotesIn(embed);
  expect(shown.length).toBeGreaterThan(0);
  for (const { number, text, citation } of shown) {
    const quote = answer.quotes[number - 1]!;
    const file = await fileText(running.corpus.dir, quote.source.path);
    expect(file.slice(quote.start, quote.end)).toBe(quote.text);
    const visible = text.replace(/ ?…$/, '');
    expect(visible.length).toBeGreaterThan(20);
    expect(displayText(file.slice(quote.start, quote.end))).toContain(visible);
    expect(unescapeMarkdown(citation)).toContain(quote.source.title ?? quote.source.id);
  }
  return shown.length;
}

function ask(question: string, extra: Record<string, string | boolean> = {}) {
  const user = running.bot.discord.createUser();
  const sentAt = Date.now();
  const sent = running.bot.discord.sendSlashCommand({ name: 'ask', options: { question, ...extra }, user });
  return { sent, sentAt, user };
}

describe('/ask', () => {
  it('defers within the 3-second deadline, then edits in a cited embed of verbatim quotes', async () => {
    const question = 'How many soldiers did North Korea send to Kursk?';
    const { sent, sentAt } = ask(question);
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.status).toBe(204);
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(callback.time - sentAt).toBeLessThan(3000);

    const edit = await editOf(running.bot.discord, sent);
    expect(edit.time).toBeGreaterThanOrEqual(callback.time);
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const message = originalMessage(running.bot.discord, sent);
    const embed = onlyEmbed(message);
    expect(embed.title).toBe(question);
    expect(embed.footer?.text).toMatch(/^Searched 7 documents \(\d+ passages\) · quotes 1–5 of \d+/);
    const answer = await running.corpus.searcher.ask(question, { k: ANSWER_QUOTES });
    expect(await expectVerbatim(embed, answer)).toBe(5);
    expect(quotesIn(embed).slice(0, 3).some((q) => /11,000/.test(q.text))).toBe(true);
    expect(buttonLabels(message)).toEqual(['More quotes', 'Show context', 'Export', 'Still there?']);
  });

  it('says plainly when the coverage does not answer, with no buttons', async () => {
    const { sent } = ask('Who won the Champions League final?');
    await editOf(running.bot.discord, sent);
    const message = originalMessage(running.bot.discord, sent);
    const embed = onlyEmbed(message);
    expect(embed.description).toBe('No coverage of that in the 7 indexed documents.');
    expect(message.components ?? []).toEqual([]);
  });

  it('"More quotes" shows the next page in place; "Show context" replies only to the clicker with the paragraph', async () => {
    const question = 'How much territory does Ukraine still hold in Kursk?';
    const { sent } = ask(question);
    await editOf(running.bot.discord, sent);
    const answer = await running.corpus.searcher.ask(question, { k: ANSWER_QUOTES });
    expect(answer.quotes.length).toBeGreaterThan(5);
    const first = originalMessage(running.bot.discord, sent);

    const clicker = running.bot.discord.createUser();
    const more = running.bot.discord.sendButton({ customId: buttonId(first, 'More quotes'), messageId: first.id, user: clicker });
    const update = await callbackOf(running.bot.discord, more);
    expect(update).toMatchObject({ status: 204, body: { type: 7, data: { allowed_mentions: { parse: [] } } } });
    const second = running.bot.discord.message(first.id)!;
    const page2 = onlyEmbed(second);
    expect(page2.footer?.text).toContain('quotes 6–');
    expect(quotesIn(page2)[0]?.number).toBe(6);
    await expectVerbatim(page2, answer);
    expect(buttonLabels(second)).toContain('Previous');

    const context = running.bot.discord.sendButton({ customId: buttonId(second, 'Show context'), messageId: first.id, user: clicker });
    const reply = await callbackOf(running.bot.discord, context);
    expect(reply.status).toBe(204);
    const data = (reply.body as { type: number; data: { flags: number; embeds: APIEmbed[]; allowed_mentions: unknown } }).data;
    expect((reply.body as { type: number }).type).toBe(4);
    expect(data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const shown = answer.quotes.slice(5, 10);
    expect(data.embeds).toHaveLength(shown.length);
    data.embeds.forEach((embed, i) => {
      const quote = shown[i]!;
      const paragraph = running.corpus.searcher.context(quote.source.id, quote.start, quote.end);
      const bold = /\*\*(.*)\*\*/.exec(embed.description ?? '')?.[1] ?? '';
      expect(unescapeMarkdown(bold)).toBe(displayText(quote.text));
      expect(displayText(paragraph.text)).toContain(unescapeMarkdown(embed.description ?? '').replace(/\*\*/g, ''));
    });
    // The public answer is unchanged by showing context.
    expect(running.bot.discord.message(first.id)?.embeds).toEqual(second.embeds);
  });

  it('keeps an over-long answer within every limit: a 5,000-character sentence is trimmed with a pointer to its context', async () => {
    const question = 'Which flood defences did the water authority engineers inspect?';
    const { sent } = ask(question);
    const edit = await editOf(running.bot.discord, sent);
    expect(edit.status).toBe(200);
    const message = originalMessage(running.bot.discord, sent);
    const embed = onlyEmbed(message);
    const answer = await running.corpus.searcher.ask(question, { k: ANSWER_QUOTES });
    expect(answer.quotes[0]!.text.length).toBeGreaterThan(5000);
    await expectVerbatim(embed, answer);
    expect(quotesIn(embed)[0]!.text).toMatch(/…$/);
    expect(embed.description).toContain('“Show context” has the full passage');
    expect(charCount(embed.description ?? '')).toBeLessThanOrEqual(4096);

    // The context reply cannot show 5,000 characters in an embed either: it attaches the paragraph whole.
    const context = running.bot.discord.sendButton({ customId: buttonId(message, 'Show context'), messageId: message.id });
    const reply = await callbackOf(running.bot.discord, context);
    expect(reply.status).toBe(204);
    const file = reply.files.find((f) => f.name === 'context.txt');
    expect(file?.data.toString('utf8')).toContain(answer.quotes[0]!.text);
  });

  it('pings no one when a quote contains @everyone or a role mention', async () => {
    const question = 'Who was the council notice about the library addressed to?';
    const { sent } = ask(question);
    const edit = await editOf(running.bot.discord, sent);
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const embed = onlyEmbed(originalMessage(running.bot.discord, sent));
    expect(embed.description).toContain('@everyone in the district');
    // The role mention is shown as text, not as a mention.
    expect(embed.description).toContain('\\<@&123456789012345678\\>');
    await expectVerbatim(embed, await running.corpus.searcher.ask(question, { k: ANSWER_QUOTES }));
  });

  it('answers privately when asked to: an ephemeral deferral and edit', async () => {
    const { sent } = ask('What did Syrsky promise about strikes on Russia?', { private: true });
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    await editOf(running.bot.discord, sent);
    const message = originalMessage(running.bot.discord, sent);
    expect((message.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(onlyEmbed(message).description).toMatch(/scale and depth/);
  });

  it('turns an empty question into one ephemeral sentence with its code, without using up the turn', async () => {
    const { sent, user } = ask('  ?!  ');
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.body).toMatchObject({
      type: 4,
      data: { content: 'Please ask a question: the text was empty. (QUESTION_EMPTY)', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
    const again = running.bot.discord.sendSlashCommand({ name: 'ask', options: { question: 'What did Syrsky promise about strikes on Russia?' }, user });
    expect((await callbackOf(running.bot.discord, again)).body).toMatchObject({ type: 5 });
    await editOf(running.bot.discord, again);
  });
});

describe('"Check coverage" on a message', () => {
  it('takes the message text as the question and answers ephemerally', async () => {
    const sent = running.bot.discord.sendMessageContextMenu({
      name: 'Check coverage',
      targetMessage: { content: 'Apparently North Korea sent some 11,000 troops to Kursk, is that right?' },
      user: running.bot.discord.createUser(),
    });
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    await editOf(running.bot.discord, sent);
    const message = originalMessage(running.bot.discord, sent);
    expect((message.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(onlyEmbed(message).description).toMatch(/11,000/);
  });

  it('cuts a message longer than the question limit at a word boundary instead of refusing it', async () => {
    const long = Array.from({ length: 40 }, () => 'How many North Korean soldiers have been killed fighting in Kursk?').join(' ');
    expect(long.length).toBeGreaterThan(2000);
    const sent = running.bot.discord.sendMessageContextMenu({ name: 'Check coverage', targetMessage: { content: long }, user: running.bot.discord.createUser() });
    const edit = await editOf(running.bot.discord, sent);
    expect(edit.status).toBe(200);
    const embed = onlyEmbed(originalMessage(running.bot.discord, sent));
    expect(charCount(embed.title ?? '')).toBeLessThanOrEqual(256);
    expect(embed.title).toMatch(/^How many North Korean soldiers.*…$/);
    expect(quotesIn(embed).length).toBeGreaterThan(0);
  });
});

describe('/source, /sources and /help', () => {
  it('autocompletes /source over document titles (at most 25 choices, names of at most 100 characters)', async () => {
    const sent = running.bot.discord.sendAutocomplete({ name: 'source', focusedOption: 'document', value: 'kursk', user: running.bot.discord.createUser() });
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.status).toBe(204);
    const choices = (callback.body as { type: number; data: { choices: Array<{ name: string; value: string }> } }).data.choices;
    expect((callback.body as { type: number }).type).toBe(8);
    expect(choices.map((c) => c.value).sort()).toEqual(['001_b9d7470b1c5be701', '004_918447a18b64fa1b']);
    expect(choices.every((c) => charCount(c.name) <= 100 && c.name.length > 0)).toBe(true);

    const all = running.bot.discord.sendAutocomplete({ name: 'source', focusedOption: 'document', value: '', user: running.bot.discord.createUser() });
    const every = await callbackOf(running.bot.discord, all);
    expect((every.body as { data: { choices: unknown[] } }).data.choices).toHaveLength(7);
  });

  it('/source shows the metadata and opening of a document, and pages through it', async () => {
    const sent = running.bot.discord.sendSlashCommand({ name: 'source', options: { document: '004_918447a18b64fa1b' }, user: running.bot.discord.createUser() });
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback).toMatchObject({ status: 204, body: { type: 4, data: { allowed_mentions: { parse: [] } } } });
    const message = originalMessage(running.bot.discord, sent);
    const first = onlyEmbed(message);
    expect(first.title).toBe('Massive Fight Breaks Out in Kursk');
    expect(first.footer?.text).toMatch(/page 1\/3/);
    const text = await fileText(running.corpus.dir, '004_918447a18b64fa1b.txt');
    const opening = unescapeMarkdown(first.description ?? '').split('\n')[0]!;
    expect(text.startsWith(opening)).toBe(true);

    const next = running.bot.discord.sendButton({ customId: buttonId(message, 'Next page'), messageId: message.id });
    expect(await callbackOf(running.bot.discord, next)).toMatchObject({ status: 204, body: { type: 7 } });
    const second = running.bot.discord.message(message.id)!;
    expect(onlyEmbed(second).footer?.text).toMatch(/page 2\/3/);
    const line = unescapeMarkdown(onlyEmbed(second).description ?? '').split('\n').find((l) => l.length > 40)!;
    expect(text).toContain(line);
    expect(buttonLabels(second)).toEqual(['Previous page', 'Next page']);
  });

  it('/source with an unknown document says so in one ephemeral sentence', async () => {
    const sent = running.bot.discord.sendSlashCommand({ name: 'source', options: { document: 'no-such-thing' }, user: running.bot.discord.createUser() });
    const callback = await callbackOf(running.bot.discord, sent);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'No document with id "no-such-thing" in the index. (DOCUMENT_NOT_FOUND)', flags: 64 } });
  });

  it('/sources lists the indexed documents; /help explains, privately', async () => {
    const list = running.bot.discord.sendSlashCommand({ name: 'sources', user: running.bot.discord.createUser() });
    await callbackOf(running.bot.discord, list);
    const embed = onlyEmbed(originalMessage(running.bot.discord, list));
    expect(embed.description?.match(/^\*\*\d+\.\*\*/gm)).toHaveLength(7);
    expect(embed.description).toContain('Massive Fight Breaks Out in Kursk');
    expect(embed.footer?.text).toMatch(/^7 documents/);

    const help = running.bot.discord.sendSlashCommand({ name: 'help', user: running.bot.discord.createUser() });
    const callback = await callbackOf(running.bot.discord, help);
    expect(callback.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect(onlyEmbed((callback.body as { data: APIMessage }).data).description).toContain('/ask');
  });
});

describe('every message the bot sent', () => {
  it('carried allowed_mentions with parse: [] and was accepted', () => {
    const bodies = running.bot.discord.calls.flatMap((call) => {
      const body = call.body as { type?: number; data?: Record<string, unknown> } & Record<string, unknown>;
      if (call.path.endsWith('/callback')) return body.type === 4 || body.type === 7 ? [{ call, message: body.data! }] : [];
      if (call.method === 'PATCH' || (call.method === 'POST' && /^\/webhooks\/|\/messages$/.test(call.path))) return [{ call, message: body }];
      return [];
    });
    expect(bodies.length).toBeGreaterThan(15);
    for (const { call, message } of bodies) {
      expect(message['allowed_mentions'], `${call.method} ${call.path}`).toEqual({ parse: [] });
      expect(call.status, `${call.method} ${call.path}`).toBeLessThan(300);
    }
  });
});
