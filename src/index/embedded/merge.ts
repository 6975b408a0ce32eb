/**
 * Merging keeps the number of segments small: segments of about the same size are joined once
 * there are `FACTOR` of them (so each passage is rewritten about log_8(N / 256) times over its
 * life), and a segment that has lost a quarter of its passages to removals is rewritten without
 * them. A merge copies int8 rows, texts and postings as they are (nothing is re-read from the
 * corpus or re-embedded) and builds one new vector graph from the passages' stored vectors.
 */
import { LexicalIndex } from '../lexical.js';
import { NameTable } from '../names.js';
import { VectorIndex } from '../vector.js';
import type { SegmentEntry } from './manifest.js';
import type { SegmentReader } from './segment-reader.js';
import { SegmentWriter, type SegmentHeader } from './segment-writer.js';

/** Segments of up to this many live passages share the lowest tier. */
const FLOOR = 256;
/** Segments per tier that trigger a merge; also the ratio between tiers. */
export const FACTOR = 8;
/** A segment with this share of its passages removed is rewritten. */
const DEAD_SHARE = 0.25;

const live = (s: SegmentEntry) => s.passages - s.deadPassages;
const tierOf = (s: SegmentEntry) => (live(s) <= FLOOR ? 0 : Math.ceil(Math.log(live(s) / FLOOR) / Math.log(FACTOR)));

/**
 * The next merge worth doing within `budget` passages, or null: the lowest tier holding `FACTOR`
 * segments (all of them), else a segment with many removals. With `everything`, all segments
 * into one (after a bulk write, when the budget covers the collection).
 */
export function planMerge(segments: readonly SegmentEntry[], budget: number, everything = false): SegmentEntry[] | null {
  const total = segments.reduce((n, s) => n + live(s), 0);
  const dead = segments.some((s) => s.dead.length > 0);
  if (everything && (segments.length > 1 || dead) && total <= budget) return [...segments];
  const tiers = new Map<number, SegmentEntry[]>();
  for (const s of segments) tiers.set(tierOf(s), [...(tiers.get(tierOf(s)) ?? []), s]);
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const group = tiers.get(tier)!;
    // Smaller tiers that did not fill up ride along: merging them now costs little.
    const riders = segments.filter((s) => tierOf(s) < tier);
    const cost = [...group, ...riders].reduce((n, s) => n + live(s), 0);
    if (group.length >= FACTOR && cost <= budget) return segments.filter((s) => group.includes(s) || riders.includes(s));
  }
  const emptied = segments.find((s) => s.passages > 0 && s.deadPassages / s.passages >= DEAD_SHARE && live(s) <= budget);
  return emptied ? [emptied] : null;
}

export interface MergeSource {
  reader: SegmentReader;
  entry: SegmentEntry;
}

export interface MergedSegment {
  writer: SegmentWriter;
  header: SegmentHeader;
  headerSha256: string;
  /** For each source, its document numbers in the merged segment (-1: removed before the merge). */
  documentMaps: Int32Array[];
}

/** Writes the live documents of `sources`, in order, as one new (unpublished) segment. */
export async function writeMerged(segmentsDir: string, dimensions: number, sources: readonly MergeSource[], yieldEvery = 0): Promise<MergedSegment> {
  const writer = await SegmentWriter.create(segmentsDir, dimensions);
  try {
    const documentMaps: Int32Array[] = [];
    const passageMaps: Int32Array[] = [];
    const points: { reader: SegmentReader; passage: number }[] = [];
    let nextDocument = 0;
    for (const { reader, entry } of sources) {
      const dead = new Set(entry.dead);
      const documentMap = new Int32Array(reader.documents.length).fill(-1);
      const passageMap = new Int32Array(reader.passageCount).fill(-1);
      const linesByDocument = new Map<number, bigint[]>();
      const { keys, docs } = reader.lines();
      keys.forEach((key, i) => {
        const doc = docs[i]!;
        if (dead.has(doc)) return;
        const list = linesByDocument.get(doc);
        if (list) list.push(key);
        else linesByDocument.set(doc, [key]);
      });
      for (const [doc, record] of reader.documents.entries()) {
        if (dead.has(doc)) continue;
        const { sentences: _s, passages: _p, rows: _r, textBytes: _t, ...document } = record;
        const firstSentence = reader.firstSentence[doc]!;
        const firstPassage = reader.firstPassage[doc]!;
        const sentences = new Int32Array(record.sentences * 3);
        for (let s = 0; s < record.sentences; s += 1) sentences.set(reader.sentences.subarray((firstSentence + s) * 4 + 1, (firstSentence + s) * 4 + 4), s * 3);
        const passages = new Int32Array(record.passages * 2);
        for (let p = 0; p < record.passages; p += 1) {
          const at = (firstPassage + p) * 4;
          passages.set([reader.passages[at + 1]! - firstSentence, reader.passages[at + 2]! - firstSentence], p * 2);
          passageMap[firstPassage + p] = writer.passages + p;
          points.push({ reader, passage: firstPassage + p });
        }
        const firstRow = record.passages > 0 ? reader.passages[firstPassage * 4 + 3]! : 0;
        writer.add({
          document,
          text: reader.textBytes(doc),
          sentences,
          passages,
          passageRows: reader.rawRows('passages', firstPassage, record.passages),
          documentRow: reader.rawRows('documents', doc, 1),
          sentenceRows: reader.rawRows('sentences', firstRow, record.rows),
          lineKeys: linesByDocument.get(doc) ?? [],
        });
        documentMap[doc] = nextDocument++;
      }
      documentMaps.push(documentMap);
      passageMaps.push(passageMap);
    }
    const vectors = await VectorIndex.build(points.length, dimensions, (i) => points[i]!.reader.vectors().point(points[i]!.passage), { yieldEvery });
    const lexical = LexicalIndex.merge(
      sources.map(({ reader }, i) => ({ index: reader.lexical(), map: passageMaps[i]! })),
      points.length,
    );
    const names = NameTable.merge(sources.map(({ reader }, i) => ({ table: reader.names(), map: documentMaps[i]! })));
    const { header, headerSha256 } = await writer.finish(vectors, lexical, names);
    return { writer, header, headerSha256, documentMaps };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
