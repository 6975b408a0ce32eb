/** Discord's limits as validators. */
import { describe, expect, it } from 'vitest';
import { charCount, isChoiceValue, isCustomId, messageProblems } from '../../../src/present/discord/limits.js';
import { button, buttonRow } from '../../../src/present/discord/reply.js';

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

  it('say whether a custom_id or a choice value is one Discord accepts', () => {
    expect(isCustomId('i'.repeat(100))).toBe(true);
    expect(isCustomId('i'.repeat(101))).toBe(false);
    expect(isCustomId('')).toBe(false);
    expect(isChoiceValue('v'.repeat(100))).toBe(true);
    expect(isChoiceValue('v'.repeat(101))).toBe(false);
    expect(isChoiceValue('')).toBe(false);
  });
});
