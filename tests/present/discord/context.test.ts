import { describe, expect, it } from 'vitest';
import { contextEmbeds } from '../../../src/present/discord/context.js';
import { messageProblems } from '../../../src/present/discord/limits.js';
import { source } from './fixtures.js';

describe('context around quotes', () => {
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
});
