/** Discord's limits as validators, and answers that always fit them, however long or many the quotes. */
import { describe, expect, it } from 'vitest';
import {
  answerEmbed,
  charCount,
  contextEmbeds,
  discordReply,
  documentEmbed,
  documentPages,
  embedSize,
  escapeMarkdown,
  messageProblems,
  trimText,
  trimTextStart,
  unescapeMarkdown,
  button,
  buttonRow,
} from '../../src/present/discord.js';
import type { Answer, Quote, QuoteSource } from '../../src/answer/types.js';

function source(i: number, long = false): QuoteSource {
  const title = long ? `A very long title ${'about many things '.repeat(30)}${i}` : `Title ${i}`;
  return { id: `doc_${i}`, path: `doc_${i}.txt`, title, outlet: long ? 'O'.repeat(300) : 'Outlet', author: null, url: `https://example.com/${i}`, published: '2025-03-16T00:00:00Z' };
}

function quote(i: number, length: number, long = false): Quote {
  const text = `Sentence ${i} says *this* and_that <@&1> @everyone. `.repeat(Math.ceil(length / 50)).slice(0, length);
  return {
    text,
    source: source(i, long),
    start: 0,
    end: text.length,
    score: 0.9,
    relevance: 0.9,
    alsoReportedBy: long ? Array.from({ length: 8 }, (_, j) => ({ source: source(100 + j, true), text, start: 0, end: text.length })) : undefined,
  };
}

function answerOf(quotes: Quote[], long = false): Answer {
  return {
    question: long ? 'Why? '.repeat(200) : 'What happened?',
    quotes,
    searched: { documents: 10, passages: 100 },
    discrepancies: long
      ? Array.from({ length: 5 }, (_, d) => ({
          about: `figure ${d} `.repeat(20),
          values: Array.from({ length: 6 }, (_, v) => ({ value: v, unit: 'km2', text: `${v} sq km`.repeat(5), source: source(v, true), start: 0, end: 1 })),
        }))
      : undefined,
  };
}

describe('validators', () => {
  it('count characters as Discord does, and catch each limit', () => {
    expect(charCount('🙂é')).toBe(2);
    expect(messageProblems({ content: 'x'.repeat(2000) })).toEqual([]);
    expect(messageProblems({ content: 'x'.repeat(2001) })).toEqual(['content is 2001 characters (limit 2000)']);
    expect(messageProblems({ embeds: [{ title: 't'.repeat(257) }] })[0]).toMatch(/title/);
    expect(messageProblems({ embeds: [{ description: 'd'.repeat(4097) }] })[0]).toMatch(/description/);
    expect(messageProblems({ embeds: [{ description: 'd', fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] })[0]).toMatch(/26 fields/);
    expect(messageProblems({ embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] })[0]).toMatch(/field 0 value/);
    expect(messageProblems({ embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] })[0]).toMatch(/field 0 name/);
    expect(messageProblems({ embeds: [{ description: 'd', footer: { text: 'f'.repeat(2049) } }] })[0]).toMatch(/footer/);
    const big = { description: 'd'.repeat(4000) };
    expect(messageProblems({ embeds: [big, big] })).toEqual(['embeds total 8000 characters (limit 6000)']);
    const rows = Array.from({ length: 6 }, (_, i) => buttonRow(button(`b${i}`, 'ok'))[0]!);
    expect(messageProblems({ content: 'x', components: rows })).toEqual(['6 component rows (limit 5)']);
    const wide = buttonRow(...Array.from({ length: 6 }, (_, i) => button(`b${i}`, 'ok')));
    expect(messageProblems({ content: 'x', components: wide })[0]).toMatch(/6 buttons/);
    expect(messageProblems({ content: 'x', components: buttonRow(button('i'.repeat(101), 'ok')) })[0]).toMatch(/custom_id/);
    expect(messageProblems({ content: 'x', components: buttonRow(button('same', 'a'), button('same', 'b')) })[0]).toMatch(/twice/);
    expect(messageProblems({})).toEqual(['the message is empty']);
  });

  it('discordReply turns mentions off and refuses what Discord would refuse', () => {
    expect(discordReply({ content: '@everyone' }).allowedMentions).toEqual({ parse: [] });
    expect(() => discordReply({ content: 'x'.repeat(2001) })).toThrow(expect.objectContaining({ code: 'DISCORD_REPLY_TOO_LARGE' }));
  });
});

describe('trimming', () => {
  it('cuts at a sentence end, else a word boundary, with an ellipsis, within the limit', () => {
    const text = 'The first sentence is here. The second one goes on and on without stopping at all.';
    expect(trimText(text, 40)).toBe('The first sentence is here. …');
    expect(trimText(text, 60)).toBe('The first sentence is here. The second one goes on and on…');
    expect(trimText('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…');
    expect(trimText('short', 10)).toBe('short');
    for (let max = 5; max < text.length; max += 7) expect(charCount(trimText(text, max))).toBeLessThanOrEqual(max);
    expect(trimTextStart('one two three four five six', 15)).toBe('…four five six');
  });

  it('escapes markdown so a quote shows its own characters, and unescapes back', () => {
    const raw = 'a *b* _c_ `d` ~e~ |f| [g](h) <@&1> #i';
    expect(escapeMarkdown(raw)).not.toMatch(/(^|[^\\])[*_`~|[\]<>]/);
    expect(unescapeMarkdown(escapeMarkdown(raw))).toBe(raw);
  });
});

describe('answers always fit', () => {
  it('a page of five 5,000-character quotes with long citations, also-reported lists and discrepancies', () => {
    const answer = answerOf(Array.from({ length: 25 }, (_, i) => quote(i, 5000, true)), true);
    for (let page = 0; page < 5; page++) {
      const embed = answerEmbed(answer, page);
      expect(messageProblems({ embeds: [embed] })).toEqual([]);
      expect(embedSize(embed)).toBeLessThanOrEqual(6000);
      expect(embed.description).toContain(`**${page * 5 + 1}.** “`);
      expect(embed.description).toContain('“Show context” has the full passage');
    }
  });

  it('shows also-reported sources and discrepancies compactly, and nothing of them when absent', () => {
    const plain = answerEmbed(answerOf([quote(1, 80)]));
    expect(plain.description).not.toContain('Also reported');
    expect(plain.fields).toBeUndefined();
    const rich = answerOf([{ ...quote(1, 80), alsoReportedBy: [{ source: source(2), text: 'x', start: 0, end: 1 }] }]);
    rich.discrepancies = [
      {
        about: 'area held',
        values: [
          { value: 90, unit: 'km2', text: '90 sq km', source: source(1), start: 0, end: 1 },
          { value: 90, unit: 'km2', text: '90 square kilometers', source: source(3), start: 0, end: 1 },
          { value: 700, unit: 'km2', text: '700 square kilometers', source: source(4), start: 0, end: 1 },
        ],
      },
    ];
    const embed = answerEmbed(rich);
    expect(embed.description).toContain('*Also reported by Title 2 (Outlet)*');
    expect(embed.fields).toEqual([{ name: 'Sources differ', value: 'area held: “90 sq km” (Title 1 (Outlet), Title 3 (Outlet)) · “700 square kilometers” (Title 4 (Outlet))' }]);
  });

  it('context of five long paragraphs fits, bolds each quote, and hands over the full text', () => {
    const paragraph = 'Words before the quote. '.repeat(200) + 'THE QUOTE ITSELF.' + ' Words after the quote.'.repeat(200);
    const start = paragraph.indexOf('THE QUOTE');
    const items = Array.from({ length: 5 }, (_, i) => ({
      quote: { start: start + 1000, end: start + 1000 + 'THE QUOTE ITSELF.'.length },
      context: { source: source(i, true), text: paragraph, start: 1000, end: 1000 + paragraph.length },
    }));
    const { embeds, trimmed, fullText } = contextEmbeds(items);
    expect(trimmed).toBe(true);
    expect(messageProblems({ embeds })).toEqual([]);
    for (const embed of embeds) expect(embed.description).toContain('**THE QUOTE ITSELF.**');
    expect(fullText).toContain(paragraph);
  });

  it('a document is paged at boundaries, and every page fits', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with *stars* and_underscores. `.repeat(3)).join('\n');
    const pages = documentPages(text);
    expect(pages[0]!.start).toBe(0);
    expect(pages.at(-1)!.end).toBe(text.length);
    pages.slice(1).forEach((page, i) => expect(page.start).toBe(pages[i]!.end));
    pages.forEach((_, i) => expect(messageProblems({ embeds: [documentEmbed(source(1, true), text, i)] })).toEqual([]));
  });
});
