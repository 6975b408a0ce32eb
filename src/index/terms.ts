import { stemmer } from 'stemmer';

/** Common English words that carry no topic: BM25 gains nothing from them. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to was we were what when ' +
    'where which while who whom why will with would you your about after also any because before being both during each ' +
    'few further here just more most much nor off once only other over own same should some such through too under until ' +
    'up very s t'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu;

/** Splits text into search terms: lower case, numbers kept whole ("1,000" is "1000"), no possessive "'s". */
export function tokenizeWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) =>
    word
      .toLowerCase()
      .replace(/['’]s$/u, '')
      .replace(/(?<=\d)[,.](?=\d{3}\b)/g, ''),
  );
}

/** A word as the index stores it: stemmed, or null for a stopword. */
export function normalizeTerm(term: string): string | null {
  if (STOPWORDS.has(term)) return null;
  return /^\p{L}+$/u.test(term) ? stemmer(term) : term;
}

/** The distinct index terms of a text. */
export function indexTerms(text: string): string[] {
  return [...new Set(tokenizeWords(text).map(normalizeTerm).filter((t): t is string => t !== null))];
}
