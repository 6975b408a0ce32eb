import { describe, expect, it } from 'vitest';
import { dateLineDate, dayOrderOf, normalizeDate } from '../../src/corpus/dates.js';
import { LABELLED_DATES, measureDates } from '../../src/tools/eval/dates.js';

describe('publication dates', () => {
  it('extracts the labelled set with full precision and nearly full recall', () => {
    const score = measureDates();
    expect(score.wrong).toEqual([]);
    expect(score.precision).toBe(1);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(LABELLED_DATES.filter((c) => c.published === null).length).toBeGreaterThanOrEqual(10);
  });

  it('keeps a bare day a day and converts a time with its zone to UTC, daylight saving included', () => {
    expect(normalizeDate('2025-03-03')).toBe('2025-03-03');
    expect(normalizeDate('2025-03-03T10:00')).toBe('2025-03-03');
    expect(normalizeDate('March 3, 2025, 10:00 AM ET')).toBe('2025-03-03T15:00:00.000Z');
    expect(normalizeDate('March 10, 2025, 10:00 AM ET')).toBe('2025-03-10T14:00:00.000Z');
    expect(normalizeDate('Mon, 03 Mar 2025 10:00:00 +0100')).toBe('2025-03-03T09:00:00.000Z');
  });

  it('settles a numeric date by the outlet country, a part above 12, or refuses it', () => {
    expect(dayOrderOf('https://news.example.co.uk/a')).toBe('dmy');
    expect(dayOrderOf('https://example.us/a')).toBe('mdy');
    expect(dayOrderOf('https://example.com/a')).toBeNull();
    expect(normalizeDate('3/4/2025')).toBeNull();
    expect(normalizeDate('3/4/2025', 'mdy')).toBe('2025-03-04');
    expect(normalizeDate('3/4/2025', 'dmy')).toBe('2025-04-03');
    expect(normalizeDate('3/14/2025')).toBe('2025-03-14');
    expect(normalizeDate('31/02/2025', 'dmy')).toBeNull();
  });

  it('takes a date line, never an event date inside a sentence', () => {
    expect(dateLineDate('Published 3 March 2025')).toBe('2025-03-03');
    expect(dateLineDate('KYIV, March 3, 2025 (Reuters) — Troops moved north overnight, officials in the region said today.')).toBe('2025-03-03');
    expect(dateLineDate('Troops moved north on March 3, 2025, officials in the region said on Tuesday evening.')).toBeNull();
  });
});
