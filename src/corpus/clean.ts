/**
 * Finds boilerplate as ranges of the original text to skip. The text itself is never rewritten,
 * so every quote stays an exact slice of its file. Detection uses general features of page
 * furniture (list shape, relative timestamps, interface vocabulary, credit conventions,
 * repetition across documents), never the strings of particular articles.
 */
export type BoilerplateKind = 'list' | 'widget' | 'credit' | 'caption' | 'repeated';

export interface TextRange {
  start: number;
  end: number;
}

export interface BoilerplateRange extends TextRange {
  kind: BoilerplateKind;
}

interface Line extends TextRange {
  text: string;
}

/** How many documents a short line must appear in before it counts as site furniture. */
export const REPEATED_LINE_MIN_DOCUMENTS = 3;

const RELATIVE_TIME =
  /^(?:(?:about|over|under|updated)\s+)?(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|months?|y|yrs?|years?)\s*(?:ago)?\s*[-–—|•·]?$|^(?:just now|yesterday|today)\s*[-–—|•·]?$/i;
const TRAILING_RELATIVE_TIME = /\s(?:[-–—|•·]\s*)?(?:\d+|an?)\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$/i;
const SEPARATOR = /^[-–—•·|*_=~>]+$/;
const INTERFACE_WORDS =
  /\b(?:audio|listen|podcast|video|player|play|watch|share|tweet|subscribe|newsletter|sign (?:up|in)|log ?in|advert(?:isement)?|sponsored|cookies?|read more|recommended|comments?|print|e-?mail|whatsapp|facebook|twitter|telegram|linkedin|instagram|follow us|click|tap here|download|our app)\b/i;
const CALL_TO_ACTION = /^(?:click|tap|subscribe|sign up|follow|share|download|listen|watch|read more|join|get the)\b/i;
const PHOTO_CREDIT =
  /\b(?:getty|afp|reuters|epa|anadolu|shutterstock|alamy|ap|pa|efe|xinhua|tass|bloomberg|sputnik)\s*(?:images|photos?|pictures|via getty)\b|\bvia getty\b|\(photo(?:graph)?\s+by\b|^(?:photo(?:graph)?|image|picture|credit|source: (?:getty|afp|reuters))\s*:|©/i;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
const endsWithPeriod = (text: string) => /[.:;]["”’')\]]?$/.test(text);
const endsLikeSentence = (text: string) => /[.!?:;]["”’')\]]?$/.test(text);

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /[^\r\n]+/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const trimmed = match[0].trim();
    if (trimmed === '') continue;
    const start = match.index + match[0].indexOf(trimmed);
    lines.push({ start, end: start + trimmed.length, text: trimmed });
  }
  return lines;
}

/** The key under which a line is compared across documents. */
export function lineKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

const isListMarker = (line: string) => SEPARATOR.test(line) || RELATIVE_TIME.test(line) || TRAILING_RELATIVE_TIME.test(line);
/** A headline in a list: short, and not a sentence that ends with a full stop. */
const isListItem = (line: string) => wordCount(line) <= 30 && !endsWithPeriod(line);

/**
 * Lists of headlines with timestamps or separators ("Latest Stories", "Most read"): runs where
 * items alternate with markers. A run needs at least three markers; a short heading just before
 * it belongs to it.
 */
function findLists(lines: Line[]): Set<number> {
  const inList = new Set<number>();
  const closeRun = (start: number, end: number) => {
    const markers = lines.slice(start, end).filter((line) => isListMarker(line.text)).length;
    if (markers < 3) return;
    const before = lines[start - 1];
    const first = before && isListItem(before.text) && wordCount(before.text) <= 5 ? start - 1 : start;
    for (let i = first; i < end; i += 1) inList.add(i);
  };
  let runStart = 0;
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    const joins =
      isListMarker(line.text) || (isListItem(line.text) && (i === runStart || (previous && isListMarker(previous.text))));
    if (joins) return;
    closeRun(runStart, i);
    runStart = isListItem(line.text) ? i : i + 1;
  });
  closeRun(runStart, lines.length);
  return inList;
}

function isWidget(text: string): boolean {
  if (endsLikeSentence(text)) return false;
  const words = wordCount(text);
  return (words <= 8 && INTERFACE_WORDS.test(text)) || (words <= 15 && CALL_TO_ACTION.test(text));
}

export interface CleanOptions {
  /** Number of documents each line key appears in, across the corpus. */
  lineDocumentCounts?: ReadonlyMap<string, number>;
}

export function findBoilerplate(text: string, options: CleanOptions = {}): BoilerplateRange[] {
  const lines = splitLines(text);
  const lists = findLists(lines);
  const kinds = new Map<number, BoilerplateKind>();
  lines.forEach((line, i) => {
    if (lists.has(i)) kinds.set(i, 'list');
    else if (PHOTO_CREDIT.test(line.text)) kinds.set(i, 'credit');
    else if (isWidget(line.text)) kinds.set(i, 'widget');
    else if (
      !endsLikeSentence(line.text) &&
      wordCount(line.text) <= 10 &&
      (options.lineDocumentCounts?.get(lineKey(line.text)) ?? 0) >= REPEATED_LINE_MIN_DOCUMENTS
    ) {
      kinds.set(i, 'repeated');
    }
  });
  // A caption follows its photo credit: a line without a closing full stop.
  lines.forEach((_, i) => {
    const next = lines[i + 1];
    if (kinds.get(i) === 'credit' && next && !kinds.has(i + 1) && !endsLikeSentence(next.text) && wordCount(next.text) <= 30) {
      kinds.set(i + 1, 'caption');
    }
  });
  return [...kinds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, kind]) => ({ start: lines[i]!.start, end: lines[i]!.end, kind }));
}

/** The distinct keys of a text's short lines: what repetition across documents is counted on. */
export function shortLineKeys(text: string): string[] {
  return [...new Set(splitLines(text).filter((line) => wordCount(line.text) <= 10).map((line) => lineKey(line.text)))];
}

/** Counts, for every short line, how many documents contain it. */
export function countLineDocuments(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const key of shortLineKeys(text)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
