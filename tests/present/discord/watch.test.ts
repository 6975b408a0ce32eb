/** What a watch posts stays within Discord's limits however long its quotes, labels and titles run. */
import { describe, expect, it } from 'vitest';
import type { WatchPost, WatchQuote } from '../../../src/answer/watch.js';
import { soleEmbedProblems } from '../../../src/present/discord/limits.js';
import { watchDigestEmbed, watchPostEmbed, WATCH_QUOTES_SHOWN } from '../../../src/present/discord/watch.js';
import { quote, source } from './fixtures.js';

function post(doc: number, quotes: number, long: boolean): WatchPost {
  const labels: WatchQuote['label'][] = ['new claim', 'retelling', 'differing figure'];
  return {
    document: source(doc, long),
    quotes: Array.from({ length: quotes }, (_, i): WatchQuote => {
      const { text, start, end } = quote(i, long ? 5000 : 80, long);
      const earlier = { value: 7, unit: 'million', text: long ? '7 million '.repeat(80) : '7 million', source: source(100 + i, long), start: 0, end: 9 };
      return {
        text,
        start,
        end,
        source: source(doc, long),
        relevance: 0.8,
        label: labels[i % 3]!,
        key: `k${i}`,
        ...(i % 3 === 1 ? { retells: Array.from({ length: long ? 12 : 1 }, (_, j) => source(200 + j, long)) } : {}),
        ...(i % 3 === 2 ? { differs: [{ about: long ? 'cost '.repeat(100) : 'cost', value: { ...earlier, value: 9, text: '9 million' }, earlier }] } : {}),
      };
    }),
  };
}

const watch = { id: 'abcd1234', topic: 'Riverside dam repairs' };

describe('watch embeds', () => {
  it('quotes each new sentence with its label, and counts those not shown', () => {
    const embed = watchPostEmbed(watch, post(1, 7, false));
    expect(embed.description).toContain('*new claim*');
    expect(embed.description).toContain('*retelling of Title 200 (Outlet)*');
    expect(embed.description).toContain('*differing figure (cost): “9 million” here, “7 million” in Title 102 (Outlet)*');
    expect(embed.description!.match(/\n“/g)).toHaveLength(WATCH_QUOTES_SHOWN);
    expect(embed.footer!.text).toContain('7 new sentences (2 not shown)');
  });

  it('fits Discord\'s limits with long quotes, labels, titles and topics', () => {
    const long = { id: watch.id, topic: 'dam '.repeat(80) };
    expect(soleEmbedProblems(watchPostEmbed(long, post(1, 9, true)))).toEqual([]);
    const digest = watchDigestEmbed(long, Array.from({ length: 40 }, (_, i) => post(i, 3, true)));
    expect(soleEmbedProblems(digest)).toEqual([]);
    expect(digest.title).toMatch(/40 new documents$/);
  });
});
