/** Text that fits: trimming, and the one shrink-until-it-fits loop. */
import { describe, expect, it } from 'vitest';
import { MIN_SCALE, SHRINK_FACTOR, scaled, shrinkToFit, trimText, trimTextStart } from '../../../src/present/discord/fit.js';
import { charCount } from '../../../src/present/discord/limits.js';

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
});

describe('shrinkToFit', () => {
  const words = 'word '.repeat(400);
  const limit = (max: number) => (text: string) => (charCount(text) > max ? [`${charCount(text)} characters (limit ${max})`] : []);

  it('returns the first build that fits, shrinking by SHRINK_FACTOR each try', () => {
    const scales: number[] = [];
    const built = shrinkToFit((scale) => {
      scales.push(scale);
      return trimText(words, scaled(1000, scale));
    }, limit(700));
    expect(charCount(built)).toBeLessThanOrEqual(700);
    expect(scales).toEqual([1, SHRINK_FACTOR, SHRINK_FACTOR ** 2]);
    expect(shrinkToFit(() => 'fits', limit(10))).toBe('fits');
  });

  it('never returns a build over the limit, whatever the limit', () => {
    for (const max of [100, 120, 333, 999, 2000]) {
      const built = shrinkToFit((scale) => trimText(words, scaled(2000, scale)), limit(max));
      expect(charCount(built)).toBeLessThanOrEqual(max);
    }
  });

  it('tries down to the first scale below MIN_SCALE, then the last resort, and fails when nothing fits', () => {
    const scales: number[] = [];
    const tooLarge = () =>
      shrinkToFit((scale) => {
        scales.push(scale);
        return trimText(words, scaled(2000, scale));
      }, limit(10));
    // The floor (40 characters) is above the limit: no build fits.
    expect(tooLarge).toThrow(expect.objectContaining({ code: 'DISCORD_REPLY_TOO_LARGE' }));
    expect(scales.at(-1)).toBeLessThan(MIN_SCALE);
    expect(scales.at(-2)).toBeGreaterThanOrEqual(MIN_SCALE);
    expect(shrinkToFit((scale) => trimText(words, scaled(2000, scale)), limit(10), (smallest) => trimText(smallest, 10))).toBe('word…');
    expect(() => shrinkToFit(() => words, limit(10), () => 'still far too long')).toThrow(expect.objectContaining({ code: 'DISCORD_REPLY_TOO_LARGE' }));
  });
});
