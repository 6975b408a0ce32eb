/**
 * A faithful TypeScript port of the realtimeqa-dev reference scorer (`tools/score.py`; its
 * `common.py` is news-match.ts), so that `npm run eval -- --dataset news` reports exactly the
 * numbers score.py prints for the same answers. Keep them in step: each rule names its Python original.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { NewsQuestion } from '../datasets.js';
import { containsGold, goldForms, norm, PY_STRIP } from './news-match.js';

// ---------------------------------------------------------------------------------------------
// score.py: check_quote, stem

/** `read_text`: UTF-8, strict (an invalid byte is an error), no newline translation, a BOM kept. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** `os.path.realpath`, which (unlike Node's) also answers for a path that does not exist. */
function realpath(p: string): string {
  const absolute = path.resolve(p);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realpath(parent), path.basename(absolute));
  }
}

/** File texts (or why they cannot be read) by real path, as score.py's `cache`. */
export type CorpusCache = Map<string, string | Error>;

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const record = (x: unknown): Record<string, unknown> | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;

/** `check_quote`: null when `quote.text` is exactly the file's slice [start, end) in UTF-16 units, else the reason. */
export function checkQuote(quote: unknown, corpusDir: string, cache: CorpusCache): string | null {
  const q = record(quote);
  if (!q || typeof q.text !== 'string') return 'quote has no text';
  const source = record(q.source);
  const relative = source?.path;
  if (typeof relative !== 'string' || relative === '') return 'no source.path';
  const full = realpath(path.join(corpusDir, relative));
  if (!full.startsWith(realpath(corpusDir) + path.sep)) return `path outside corpus: ${relative}`;
  if (!cache.has(full)) {
    try {
      cache.set(full, UTF8.decode(readFileSync(full)));
    } catch (error) {
      cache.set(full, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const text = cache.get(full)!;
  if (text instanceof Error) return `cannot read ${relative}: ${text.name}`;
  const { start: s, end: e } = q;
  if (!isInt(s) || !isInt(e) || !(s >= 0 && s <= e && e <= text.length)) {
    return `bad offsets start=${String(s)} end=${String(e)} (file has ${text.length} UTF-16 units)`;
  }
  const splits = (i: number) => i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
  if (s < e && (splits(s) || splits(e))) return `offsets ${s}:${e} split a surrogate pair`;
  if (text.slice(s, e) !== q.text) return `text differs from file[${s}:${e}]`;
  return null;
}

/** `os.path.normpath` for POSIX paths. */
function normpath(p: string): string {
  if (p === '') return '.';
  const lead = p.startsWith('//') && !p.startsWith('///') ? '//' : p.startsWith('/') ? '/' : '';
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (!lead && (parts.length === 0 || parts[parts.length - 1] === '..'))) parts.push(part);
    else if (parts.length) parts.pop();
  }
  return lead + parts.join('/') || '.';
}

/** `stem`: source.path relative to the corpus without ".txt" ("./a.txt" -> "a", "../a.txt" -> "../a"). */
export function stem(quote: unknown): string {
  const source = record(record(quote)?.source);
  const p = typeof source?.path === 'string' ? normpath(source.path) : '';
  return p.endsWith('.txt') ? p.slice(0, -4) : p;
}

/** Python's `round(x, digits)`: the double's exact decimal value rounded half to even. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  const exact = Math.abs(x).toFixed(100);
  const [whole, fraction] = exact.split('.') as [string, string];
  const kept = BigInt(whole + fraction.slice(0, digits));
  const rest = fraction.slice(digits);
  const tie = /^50*$/.test(rest);
  const up = rest[0]! > '5' || (rest[0] === '5' && !tie) || (tie && kept % 2n === 1n);
  const magnitude = Number(kept + (up ? 1n : 0n)) / 10 ** digits;
  return x < 0 ? -magnitude : magnitude;
}

// ---------------------------------------------------------------------------------------------
// score.py: load_answers, main

/** score.py's JSON summary, key for key. */
export interface NewsScoreSummary {
  questions: number;
  answers: number;
  quotes: number;
  [metric: `answer@${number}` | `answer_verbatim@${number}` | `cited_gold@${number}`]: number;
  verbatim_rate: number | null;
  zero_quote_rate: number;
  mean_quotes: number;
  mean_quote_chars: number | null;
  warnings: string[];
}

export interface NewsScoreResult {
  summary: NewsScoreSummary;
  /** The first few quotes that failed the verbatim check, with the reason. */
  failures: string[];
  /** Per question (in order): the first k at which the answer lies in the verbatim quotes, or null. */
  firstHit: (number | null)[];
}

/** `load_answers`: the lines that start with "{" (others are logs), a malformed one as `{_malformed: true}`. */
export function parseAnswerLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(PY_STRIP, '');
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      out.push({ _malformed: true });
    }
  }
  return out;
}

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
};

/** score.py's `main`: answer@k, the same over verbatim quotes only, cited gold file@k, and the rates. */
export function scoreAnswers(
  questions: readonly NewsQuestion[],
  answers: readonly Record<string, unknown>[],
  corpusDir: string,
  ks: readonly number[] = [1, 3, 5],
): NewsScoreResult {
  const warnings: string[] = [];
  if (answers.length !== questions.length) {
    warnings.push(`${answers.length} answers for ${questions.length} questions (missing ones count as no quotes)`);
  }
  const malformed = answers.filter((x) => x._malformed).length;
  if (malformed) warnings.push(`${malformed} malformed answer lines (count as no quotes)`);
  const mismatch = questions
    .map((_, i) => i)
    .filter((i) => i < answers.length && typeof answers[i]!.question === 'string' && norm(answers[i]!.question as string) !== norm(questions[i]!.question));
  if (mismatch.length) {
    warnings.push(`${mismatch.length} answers whose question differs from questions.jsonl (first at line ${mismatch[0]! + 1})`);
  }

  const cache: CorpusCache = new Map();
  const failures: string[] = [];
  const firstHit: (number | null)[] = [];
  const hit = new Map(ks.map((k) => [k, 0]));
  const hitOk = new Map(ks.map((k) => [k, 0]));
  const cited = new Map(ks.map((k) => [k, 0]));
  let nQuotes = 0;
  let nOk = 0;
  let zero = 0;
  let qchars = 0;
  questions.forEach((q, i) => {
    const x = answers[i] ?? {};
    const quotes: unknown[] = Array.isArray(x.quotes) ? x.quotes : [];
    if (quotes.length === 0) zero += 1;
    const ok: boolean[] = [];
    for (const quote of quotes) {
      const why = checkQuote(quote, corpusDir, cache);
      ok.push(why === null);
      nQuotes += 1;
      if (why === null) nOk += 1;
      const text = record(quote)?.text;
      if (typeof text === 'string') qchars += codePoints(text);
      if (why !== null && failures.length < 5) failures.push(`q${i + 1} ${q.id}: ${stem(quote)}: ${why}`);
    }
    const texts = quotes.map((quote) => {
      const text = record(quote)?.text;
      return typeof text === 'string' ? text : '';
    });
    const gold = new Set(q.goldFiles);
    const golds = goldForms(q.answers);
    let first: number | null = null;
    for (const k of ks) {
      if (containsGold(texts.slice(0, k).join('\n'), golds)) hit.set(k, hit.get(k)! + 1);
      if (containsGold(texts.slice(0, k).filter((_, j) => ok[j]).join('\n'), golds)) {
        hitOk.set(k, hitOk.get(k)! + 1);
        first ??= k;
      }
      if (quotes.slice(0, k).some((quote) => gold.has(stem(quote)))) cited.set(k, cited.get(k)! + 1);
    }
    firstHit.push(first);
  });

  const n = questions.length || 1;
  const rate = (counts: Map<number, number>, name: string) =>
    Object.fromEntries(ks.map((k) => [`${name}@${k}`, pyRound(counts.get(k)! / n, 4)]));
  const summary = {
    questions: questions.length,
    answers: answers.length,
    quotes: nQuotes,
    ...rate(hit, 'answer'),
    ...rate(hitOk, 'answer_verbatim'),
    ...rate(cited, 'cited_gold'),
    verbatim_rate: nQuotes ? pyRound(nOk / nQuotes, 4) : null,
    zero_quote_rate: pyRound(zero / n, 4),
    mean_quotes: pyRound(nQuotes / n, 3),
    mean_quote_chars: nQuotes ? pyRound(qchars / nQuotes, 1) : null,
    warnings,
  } as NewsScoreSummary;
  return { summary, failures, firstHit };
}
