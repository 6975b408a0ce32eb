/**
 * The answer matching of the realtimeqa-dev reference scorer (`tools/common.py`), ported to
 * TypeScript so that `npm run eval -- --dataset news` matches exactly as score.py does: typography
 * and case folded as Python folds them, answers matched as whole tokens.
 */

/** `_TRANS`: typographic quotes and dashes count as their ASCII forms, a no-break space as a space. */
const TYPOGRAPHY: Readonly<Record<string, string>> = {
  '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u00a0': ' ',
};

/** The characters Python's `str.isspace()` accepts (what `str.split()` and `str.strip()` cut), no more, no less. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE = new RegExp(`[${PY_SPACE}]+`, 'gu');
export const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'gu');

const folded = new Map<string, string>();

/**
 * Python's `str.casefold()` of one code point. Upper- then lower-casing gives the full case
 * folding for every character but these (checked over all code points against Python 3.11):
 * dotless ı stays, capital sharp s folds to "ss", and Cherokee folds to its capitals. Characters
 * newer than Python's Unicode database (14.0) may still differ; news text has none.
 */
function casefoldChar(c: string): string {
  let out = folded.get(c);
  if (out !== undefined) return out;
  const cp = c.codePointAt(0)!;
  if (cp === 0x131) out = c;
  else if (cp === 0x1e9e) out = 'ss';
  else if (cp >= 0xab70 && cp <= 0xabbf) out = String.fromCodePoint(cp - 0xab70 + 0x13a0);
  else if (cp >= 0x13f8 && cp <= 0x13fd) out = String.fromCodePoint(cp - 8);
  else if (cp >= 0x13a0 && cp <= 0x13f5) out = c;
  else out = c.toUpperCase().toLowerCase();
  folded.set(c, out);
  return out;
}

/** `str.casefold()`: character by character, so no context rule (final sigma) applies. */
export function casefold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/[^\0-\x7f]/gu, casefoldChar);
}

/** `norm`: typography folded, case folded, white space collapsed (the form every answer match uses). */
export function norm(s: string): string {
  const translated = s.replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0]/g, (c) => TYPOGRAPHY[c]!);
  return casefold(translated).split(PY_WHITESPACE).filter((part) => part !== '').join(' ');
}

/** Python's `\w` and `str.isalnum()` over Unicode (the same sets as Python's for every assigned character). */
const WORD = '[\\p{L}\\p{N}_]';
const ALNUM = /^[\p{L}\p{N}]$/u;
/** Escapes the characters that are syntax in a `u` regular expression (it refuses other escapes). */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * `answer_pattern`: the normalised answer as a whole token sequence, so "Iran" does not match
 * inside "Iranian" nor "12" inside "120". Apply it to `norm(text)`.
 */
export function answerPattern(answer: string): RegExp {
  const a = norm(answer);
  const chars = [...a];
  const left = chars.length && ALNUM.test(chars[0]!) ? `(?<!${WORD})` : '';
  const right = chars.length && ALNUM.test(chars[chars.length - 1]!) ? `(?!${WORD})` : '';
  return new RegExp(left + escapeRegExp(a) + right, 'u');
}

/** `contains_answer`: whether any non-empty answer occurs in the text as whole tokens, folded. */
export function containsGold(text: string, answers: readonly string[]): boolean {
  const t = norm(text);
  return answers.some((a) => norm(a) !== '' && answerPattern(a).test(t));
}

/** score.py's `QUOTES`: a title in quotation marks ("Serial") also counts without them. */
const QUOTES = `"'\u201c\u201d\u2018\u2019`;

/** Python's `s.strip(QUOTES)`. */
function stripQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && QUOTES.includes(s[start]!)) start += 1;
  while (end > start && QUOTES.includes(s[end - 1]!)) end -= 1;
  return s.slice(start, end);
}

/** The accepted answers as score.py matches them: each gold, plus its form without surrounding quotation marks. */
export function goldForms(answers: readonly string[]): string[] {
  return [...answers, ...answers.map(stripQuotes).filter((s, i) => s !== answers[i])];
}
