/** Answers always fit, however long or many the quotes. */
import { describe, expect, it } from 'vitest';
import { answerEmbed } from '../../../src/present/discord/answer.js';
import { embedSize, messageProblems } from '../../../src/present/discord/limits.js';
import { answerOf, quote, source } from './fixtures.js';

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
});
