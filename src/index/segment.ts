import { splitLines, type TextRange } from '../corpus/clean.js';

/** A sentence as `[start, end)` offsets into its document's original text. */
export interface Sentence extends TextRange {
  /** Index of the paragraph (line) the sentence belongs to; quotes never span a gap. */
  paragraph: number;
}

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATION =
  /(?:^|[\s(“"])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Maj|Capt|Sgt|Rep|Sen|Gov|Pres|St|Jr|Sr|No|Nos|vs|etc|approx|est|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|E\.U|i\.e|e\.g)\.$/u;
const HAS_WORD = /[\p{L}\p{N}]/u;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function overlapsAny(range: TextRange, skip: readonly TextRange[]): boolean {
  return skip.some((s) => range.start < s.end && s.start < range.end);
}

/** Sentences of one paragraph, trimmed, with abbreviation breaks mended. */
function paragraphSentences(text: string, line: TextRange, paragraph: number): Sentence[] {
  const sentences: Sentence[] = [];
  const lineText = text.slice(line.start, line.end);
  for (const { segment, index } of segmenter.segment(lineText)) {
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = line.start + index + segment.indexOf(trimmed);
    const end = start + trimmed.length;
    const previous = sentences[sentences.length - 1];
    const joinsPrevious = previous && (ABBREVIATION.test(text.slice(previous.start, previous.end)) || !HAS_WORD.test(trimmed));
    if (previous && joinsPrevious) previous.end = end;
    else sentences.push({ start, end, paragraph });
  }
  return sentences.filter((s) => HAS_WORD.test(text.slice(s.start, s.end)));
}

/** Splits the quotable text (all but the boilerplate ranges) into sentences with exact offsets. */
export function segmentSentences(text: string, skip: readonly TextRange[]): Sentence[] {
  const paragraphs = splitLines(text).filter((line) => !overlapsAny(line, skip));
  return paragraphs.flatMap((line, paragraph) => paragraphSentences(text, line, paragraph));
}

export interface PassageSpan {
  /** Index of the first sentence in the passage. */
  first: number;
  /** Index one past the last sentence. */
  end: number;
}

export interface PackOptions {
  /** Largest passage, in model tokens. A single longer sentence becomes its own passage. */
  maxTokens: number;
  /** Sentences shared by consecutive passages, so a statement at a boundary keeps its context. */
  overlapSentences: number;
}

export const DEFAULT_PACKING: PackOptions = { maxTokens: 128, overlapSentences: 1 };

/** Groups consecutive sentences into passages of at most `maxTokens`, overlapping by whole sentences. */
export function packPassages(tokenCounts: readonly number[], options: PackOptions = DEFAULT_PACKING): PassageSpan[] {
  const passages: PassageSpan[] = [];
  let first = 0;
  while (first < tokenCounts.length) {
    let end = first;
    let tokens = 0;
    while (end < tokenCounts.length && (end === first || tokens + tokenCounts[end]! <= options.maxTokens)) {
      tokens += tokenCounts[end]!;
      end += 1;
    }
    passages.push({ first, end });
    if (end >= tokenCounts.length) break;
    first = Math.max(first + 1, end - options.overlapSentences);
  }
  return passages;
}
