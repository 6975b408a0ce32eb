import { sentencesOf, sentenceText } from '../index/lookup.js';
import { namesIn } from '../index/names.js';
import type { IndexView } from '../index/store.js';

export { namesIn };

/** Edit distance, capped: the exact value above `limit` does not matter. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Spots garbled names: a name only one document uses, a letter or two away from a spelling that
 * other documents share ("Sysky" where three sources write "Syrsky"), the mark of a machine
 * translation or a careless copy. How many documents use a name comes from the index, so only
 * the documents asked about are read.
 */
export class SpellingCheck {
  private readonly rates = new Map<number, number>();
  private readonly garbled = new Map<string, boolean>();

  constructor(private readonly data: IndexView) {}

  private isGarbled(name: string): boolean {
    let known = this.garbled.get(name);
    if (known === undefined) {
      known = name.length >= 4 && this.data.nameDocuments(name, 2) <= 1 && this.data.sharedNames(name[0]!).some((other) => editDistance(name, other, 2) <= 2);
      this.garbled.set(name, known);
    }
    return known;
  }

  /** Share of a document's names that look garbled: 0 is clean. */
  oddSpellingRate(doc: number): number {
    const known = this.rates.get(doc);
    if (known !== undefined) return known;
    const names = sentencesOf(this.data, doc).flatMap((i) => namesIn(` ${sentenceText(this.data, i)}`).map((n) => n.toLowerCase()));
    const rate = names.length === 0 ? 0 : names.filter((n) => this.isGarbled(n)).length / names.length;
    this.rates.set(doc, rate);
    return rate;
  }
}
