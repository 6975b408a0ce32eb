/**
 * What kind of answer a question asks for, and whether a sentence holds one it does not already
 * contain. A sentence that only restates the question ("voters elected a candidate in the
 * primary") matches it well but answers nothing; the one that names the winner does. Candidates
 * are read from the surface of the text (capitalised names, quoted titles, figures, dates),
 * which is cheap enough to run on every sentence a question looks at.
 */
import { indexTerms, normalizeTerm, tokenizeWords } from '../index/lexical.js';

/** `figure`: a number or amount; `date`: a time; `name`: a proper name or title; `open`: anything new. */
export type AnswerKind = 'figure' | 'date' | 'name' | 'open';

export interface QuestionShape {
  kind: AnswerKind;
  /** The question's index terms: a candidate made only of these is not new. */
  terms: ReadonlySet<string>;
}

const MONTH = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec';
const WEEKDAY = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const DATE = new RegExp(`\\b(?:(?:${MONTH})\\.?(?:\\s+\\d{1,2})?(?:,?\\s+\\d{4})?|${WEEKDAY}|(?:1[5-9]|20)\\d{2}s?|yesterday|today|tonight|last (?:week|month|year))\\b`, 'g');
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|dozen|dozens|half|quarter|twice|double|triple';
const FIGURE = new RegExp(`[$€£¥]\\s?\\d|\\d(?:[\\d,.]*\\d)?\\s?(?:%|percent\\b)?|\\b(?:${NUMBER_WORDS})\\b`, 'gi');

/** The question forms that fix the kind; the first that matches decides. */
const KIND_RULES: { kind: AnswerKind; pattern: RegExp }[] = [
  { kind: 'figure', pattern: /\bhow (?:many|much|long|far|old|big|large|high|often|tall|fast)\b|\bwhat (?:percentage|percent|share|number|amount|proportion|fraction|size|age|price|rate)\b/i },
  { kind: 'date', pattern: /\bwhen\b|\b(?:what|which|in what) (?:year|date|day|month|decade|century)\b|\bsince when\b/i },
  { kind: 'name', pattern: /\bwho(?:m|se)?\b|\bwhere\b|\bwhich\b|\bwhat (?:is|was) the name\b|\bname (?:of|the)\b/i },
];

/**
 * "What" questions usually ask for a thing ("what did scientists identify?"): any new content
 * counts. "What company …" asks for a name like "which" does.
 */
const WHAT_NOUN = /\bwhat\s+(?!is\b|was\b|are\b|were\b|did\b|does\b|do\b|has\b|have\b|had\b|will\b|would\b|can\b|could\b|should\b|to\b|if\b|about\b|happened\b)[a-z]+/i;

/** The sentence that asks, when a question opens with context ("X happened. Who did it?"): it sets the kind. */
function askingSentence(question: string): string {
  const sentences = question.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  return sentences.length > 1 ? sentences[sentences.length - 1]! : question;
}

export function questionShape(question: string): QuestionShape {
  const asking = askingSentence(question);
  const rule = KIND_RULES.find(({ pattern }) => pattern.test(asking));
  const kind = rule?.kind ?? (WHAT_NOUN.test(asking) ? 'name' : 'open');
  return { kind, terms: new Set(indexTerms(question)) };
}

/** Runs of capitalised words (with inner connectors), and short quoted titles. */
const NAME = /(?:\p{Lu}[\p{L}\p{M}\p{N}'’&.-]*)(?:\s+(?:(?:of|the|de|del|da|du|van|von|der|la|le|and|&)\s+)*\p{Lu}[\p{L}\p{M}\p{N}'’&.-]*)*/gu;
const QUOTED = /[“"]([^“”"]{2,60})[”"]/g;

/** True when a match adds something the question does not already say. */
function isNew(text: string, shape: QuestionShape): boolean {
  const terms = tokenizeWords(text).map(normalizeTerm).filter((t): t is string => t !== null);
  return terms.length > 0 && terms.some((term) => !shape.terms.has(term));
}

/** A capitalised word that is a date (a weekday, a month) or the first half of an adjective ("Trump-backed"). */
const NOT_A_NAME = new RegExp(`^(?:${MONTH}|${WEEKDAY})\\.?$|^\\p{Lu}[\\p{L}]*-\\p{Ll}`, 'u');
/** A word that is a name wherever it stands: an inner capital or digit ("iPhone", "Blink-182", "McDonald"). */
const MARKED_NAME = /^\p{L}+\p{Lu}|\p{L}[\p{L}-]*\d/u;

/**
 * Capitalised runs that are names. A single capitalised word opening the sentence is usually just
 * the first word ("Voters …"), so it counts only when it is marked as a name; a run that opens
 * with a function word ("The White House") drops it.
 */
function names(sentence: string): string[] {
  const found: string[] = [];
  const firstLetter = sentence.search(/\p{L}/u);
  for (const match of sentence.matchAll(NAME)) {
    let words = match[0].split(/\s+/).filter((word) => !NOT_A_NAME.test(word));
    if (match.index === firstLetter && words[0] === match[0].split(/\s+/)[0]) {
      if (words.length === 1 && !MARKED_NAME.test(words[0]!)) continue;
      if (normalizeTerm(words[0]!.toLowerCase()) === null) words = words.slice(1);
    }
    if (words.length > 0) found.push(words.join(' '));
  }
  for (const match of sentence.matchAll(QUOTED)) found.push(match[1]!);
  return found;
}

const matches = (sentence: string, pattern: RegExp) => [...sentence.matchAll(pattern)].map((m) => m[0]);

/**
 * How surely the sentence holds an answer of the asked kind that the question does not contain:
 * 1 for a new candidate of the kind, 0.5 for a new candidate of a nearby kind, 0 for none.
 */
export function answerEvidence(shape: QuestionShape, sentence: string): number {
  const fresh = (found: string[]) => found.some((text) => isNew(text, shape));
  switch (shape.kind) {
    case 'figure':
      return fresh(matches(sentence, FIGURE)) ? 1 : 0;
    case 'date':
      return fresh(matches(sentence, DATE)) ? 1 : fresh(matches(sentence, FIGURE)) ? 0.5 : 0;
    case 'name':
      return fresh(names(sentence)) ? 1 : fresh(matches(sentence, FIGURE)) ? 0.5 : 0;
    case 'open': {
      const terms = indexTerms(sentence);
      const novel = terms.filter((term) => !shape.terms.has(term)).length;
      return terms.length === 0 ? 0 : Math.min(1, novel / Math.max(3, terms.length / 2));
    }
  }
}
