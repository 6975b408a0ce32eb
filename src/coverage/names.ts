import type { IndexData } from '../index/types.js';

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
 * Per document, the share of its names that look like a garbled spelling of a name most other
 * documents spell differently ("Sysky" where three sources write "Syrsky"): a sign of a machine
 * translation or a careless copy.
 */
export function oddSpellingRates(data: IndexData): number[] {
  const documentsWith = new Map<string, number>();
  const perDocument = data.texts.map((text, doc) => {
    const sentences = data.sentences.filter((s) => s.doc === doc);
    const names = sentences.flatMap((s) => namesIn(` ${text.slice(s.start, s.end)}`).map((n) => n.toLowerCase()));
    for (const name of new Set(names)) documentsWith.set(name, (documentsWith.get(name) ?? 0) + 1);
    return names;
  });
  const common = [...documentsWith.entries()].filter(([, count]) => count >= 2).map(([name]) => name);
  return perDocument.map((names) => {
    if (names.length === 0) return 0;
    const odd = names.filter((name) => {
      if ((documentsWith.get(name) ?? 0) > 1 || name.length < 4) return false;
      return common.some((other) => other !== name && editDistance(name, other, 2) <= 2 && other[0] === name[0]);
    });
    return odd.length / names.length;
  });
}
