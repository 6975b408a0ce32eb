import { indexTerms, normalizeTerm } from '../index/lexical.js';
import { sentencesOf, sentenceText } from '../index/lookup.js';
import type { IndexView } from '../index/store.js';
import type { QuoteSource } from '../index/types.js';
import type { Discrepancy, DiscrepancyValue } from './types.js';
import { namesIn } from './names.js';
import { withDates } from './updates.js';
import { conversionIsWrong, extractQuantities, jsonUnit, sameValue, type Quantity } from './quantities.js';

interface Mention {
  quantity: Quantity;
  doc: number;
  sentence: number;
}

/** Counted nouns that name the same kind of thing. */
const SAME_KIND: Record<string, string> = {
  soldiers: 'troops',
  fighters: 'troops',
  personnel: 'troops',
  deaths: 'dead',
  residents: 'people',
  inhabitants: 'people',
  civilians: 'people',
  persons: 'people',
};
const DIMENSION_LABEL: Record<string, string> = { area: 'area', length: 'distance', mass: 'weight', money: 'amount', percent: 'share', date: 'date' };
const UNIT_LABEL: Record<string, string> = { km2: 'km²', mi2: 'sq miles', km: 'km', mi: 'miles', ha: 'hectares', acre: 'acres', kg: 'kg', lb: 'lb', t: 'tonnes', percent: '%' };

const kindOf = (q: Quantity) => (q.dimension === 'count' ? SAME_KIND[q.unit] ?? q.unit : DIMENSION_LABEL[q.dimension]!);
const unitLabel = (unit: string) => UNIT_LABEL[unit] ?? unit;

function mentionsIn(data: IndexView, sentences: Iterable<number>): Mention[] {
  const mentions: Mention[] = [];
  for (const sentence of new Set(sentences)) {
    const s = data.sentence(sentence);
    for (const quantity of extractQuantities(sentenceText(data, sentence), s.start, normalizeTerm)) mentions.push({ quantity, doc: s.doc, sentence });
  }
  return mentions;
}

/** Names every mention's sentence shares (up to two): what the figures are about. */
function sharedNames(data: IndexView, mentions: Mention[]): string[] {
  const sets = mentions.map((m) => new Set(namesIn(` ${sentenceText(data, m.sentence)}`)));
  const first = [...(sets[0] ?? [])];
  return first.filter((name) => sets.every((set) => set.has(name))).slice(0, 2);
}

function valueOf(data: IndexView, sourceOf: (doc: number) => QuoteSource, m: Mention, figure: Omit<Quantity, 'conversion' | 'frame' | 'context'>): DiscrepancyValue {
  return {
    value: figure.value,
    unit: jsonUnit(figure),
    text: data.text(m.doc).slice(figure.start, figure.end),
    source: sourceOf(m.doc),
    start: figure.start,
    end: figure.end,
  };
}

/** One value per document and distinct figure, so a source repeating itself is listed once. */
function distinctPerDocument(mentions: Mention[], figure: (m: Mention) => Omit<Quantity, 'conversion' | 'frame' | 'context'>): Mention[] {
  const kept: Mention[] = [];
  for (const m of mentions) {
    if (!kept.some((k) => k.doc === m.doc && sameValue(figure(k), figure(m)))) kept.push(m);
  }
  return kept;
}

/** Every mention in the given documents, to see what else each source says. */
function mentionsInDocuments(data: IndexView, documents: ReadonlySet<number>): Mention[] {
  return mentionsIn(data, [...documents].flatMap((doc) => sentencesOf(data, doc)));
}

/** Sentences worded alike (beyond their figures) state the same thing with perhaps other figures. */
const WORDED_ALIKE = 0.5;

function wordsOf(data: IndexView, sentence: number): Set<string> {
  return new Set(indexTerms(sentenceText(data, sentence)).filter((t) => !/\d/.test(t)));
}

function similarWording(a: Set<string>, b: Set<string>): boolean {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / Math.max(1, a.size + b.size - shared) >= WORDED_ALIKE;
}

/**
 * What a figure measures, as a grouping key: its kind and frame; without a frame, the figures of
 * sentences worded alike (a light rewrite that changed a number) share a key.
 */
function keysFor(data: IndexView, mentions: Mention[]): Map<Mention, string> {
  const keys = new Map<Mention, string>();
  const anchors: { words: Set<string>; key: string }[] = [];
  for (const m of mentions) {
    if (m.quantity.frame) {
      keys.set(m, keyOf(m.quantity));
      continue;
    }
    const words = wordsOf(data, m.sentence);
    let anchor = anchors.find((a) => similarWording(a.words, words));
    if (!anchor) {
      anchor = { words, key: `${kindOf(m.quantity)}|~${anchors.length}` };
      anchors.push(anchor);
    }
    keys.set(m, anchor.key);
  }
  return keys;
}

const keyOf = (q: Quantity) => `${kindOf(q)}|${q.frame}`;

/** Figures of the same kind, in the same frame, that disagree across documents. */
function differingFigures(data: IndexView, sourceOf: (doc: number) => QuoteSource, mentions: Mention[]): Discrepancy[] {
  const byKey = new Map<string, Mention[]>();
  for (const [m, key] of keysFor(data, mentions)) byKey.set(key, [...(byKey.get(key) ?? []), m]);
  const found: Discrepancy[] = [];
  for (const [key, group] of byKey) {
    const kept = distinctPerDocument(group, (m) => m.quantity);
    const clusters: Mention[][] = [];
    for (const m of kept) {
      const cluster = clusters.find((c) => sameValue(c[0]!.quantity, m.quantity));
      if (cluster) cluster.push(m);
      else clusters.push([m]);
    }
    const documents = new Set(kept.map((m) => m.doc));
    if (clusters.length < 2 || documents.size < 2) continue;
    // A source that gives two of the values anywhere in its text is measuring two different things.
    const elsewhere = key.includes('|~') ? group : mentionsInDocuments(data, documents).filter((m) => keyOf(m.quantity) === key);
    const givesBoth = [...documents].some(
      (doc) => clusters.filter((c) => elsewhere.some((m) => m.doc === doc && sameValue(m.quantity, c[0]!.quantity))).length > 1,
    );
    if (givesBoth) continue;
    const first = kept[0]!.quantity;
    const names = sharedNames(data, kept);
    found.push({
      about: `${kindOf(first)}${first.frame ? ` ${first.frame}` : ''}${names.length ? ` (${names.join(', ')})` : ''}`,
      values: clusters.flat().map((m) => valueOf(data, sourceOf, m, m.quantity)),
    });
  }
  return found;
}

/** Conversions stated in brackets that are wrong, or that sources give differently for one figure. */
function differingConversions(data: IndexView, sourceOf: (doc: number) => QuoteSource, mentions: Mention[]): Discrepancy[] {
  const byFigure = new Map<string, Mention[]>();
  for (const m of mentions) {
    const { conversion } = m.quantity;
    if (!conversion) continue;
    const key = `${m.quantity.value}|${m.quantity.unit}|${conversion.unit}`;
    byFigure.set(key, [...(byFigure.get(key) ?? []), m]);
  }
  const found: Discrepancy[] = [];
  for (const group of byFigure.values()) {
    const kept = distinctPerDocument(group, (m) => m.quantity.conversion!);
    const wrong = kept.some((m) => conversionIsWrong(m.quantity));
    const disagree = kept.some((m) => !sameValue(m.quantity.conversion!, kept[0]!.quantity.conversion!));
    if (!wrong && !disagree) continue;
    const { value, unit, base, conversion } = kept[0]!.quantity;
    const factor = conversion!.base / conversion!.value;
    const expected = Math.round((base / factor) * 10) / 10;
    found.push({
      about: `${value} ${unitLabel(unit)} given in ${unitLabel(conversion!.unit)} (${value} ${unitLabel(unit)} is ${expected} ${unitLabel(conversion!.unit)})`,
      values: kept.map((m) => valueOf(data, sourceOf, m, m.quantity.conversion!)),
    });
  }
  return found;
}

/** Where the given sentences' sources give different figures for the same thing (dated ones in time order, with their kind). */
export function findDiscrepancies(data: IndexView, sourceOf: (doc: number) => QuoteSource, sentences: Iterable<number>): Discrepancy[] {
  const mentions = mentionsIn(data, sentences);
  return [...differingFigures(data, sourceOf, mentions), ...differingConversions(data, sourceOf, mentions)].map(withDates);
}
