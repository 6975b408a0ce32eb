import { sentencesOf, sentenceText } from '../index/lookup.js';
import type { IndexView } from '../index/store.js';

/** Capitalised words inside sentences (not the first word): names of people, places, units. */
const NAME = /(?<=\s)\p{Lu}[\p{L}'’-]{2,}/gu;

export function namesIn(text: string): string[] {
  return text.match(NAME) ?? [];
}

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
 * translation or a careless copy.
 */
export class SpellingCheck {
  private readonly namesByDocument = new Map<number, string[]>();
  /** How many documents use each name. */
  private readonly documentsWith = new Map<string, number>();
  /** Names used by two or more documents, by first letter, for quick look-up. */
  private readonly sharedByInitial = new Map<string, string[]>();
  private readonly rates = new Map<number, number>();

  constructor(data: IndexView) {
    for (const doc of data.documentNumbers()) {
      this.namesByDocument.set(doc, sentencesOf(data, doc).flatMap((i) => namesIn(` ${sentenceText(data, i)}`).map((n) => n.toLowerCase())));
    }
    for (const names of this.namesByDocument.values()) {
      for (const name of new Set(names)) this.documentsWith.set(name, (this.documentsWith.get(name) ?? 0) + 1);
    }
    for (const [name, count] of this.documentsWith) {
      if (count >= 2) this.sharedByInitial.set(name[0]!, [...(this.sharedByInitial.get(name[0]!) ?? []), name]);
    }
  }

  private isGarbled(name: string): boolean {
    if ((this.documentsWith.get(name) ?? 0) > 1 || name.length < 4) return false;
    return (this.sharedByInitial.get(name[0]!) ?? []).some((other) => editDistance(name, other, 2) <= 2);
  }

  /** Share of a document's names that look garbled: 0 is clean. */
  oddSpellingRate(doc: number): number {
    const known = this.rates.get(doc);
    if (known !== undefined) return known;
    const names = this.namesByDocument.get(doc) ?? [];
    const rate = names.length === 0 ? 0 : names.filter((n) => this.isGarbled(n)).length / names.length;
    this.rates.set(doc, rate);
    return rate;
  }
}
