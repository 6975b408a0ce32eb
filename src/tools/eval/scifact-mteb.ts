/**
 * A SciFact diagnostic: the corpus ranked as MTEB embeds it (one vector per document, title + " " +
 * text, first 256 tokens), to check that our embedding path reproduces the published figure.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../index/embedder.js';
import { normalizeQuestion } from '../../retrieval/question.js';
import type { BeirQuery, Qrels } from '../datasets.js';
import { mean, mrrAtK, ndcgAtK, recallAtK, type RankingScores } from '../metrics.js';

/** Whole-document vectors (cached in `cacheFile`). */
export async function wholeDocumentVectors(
  embedder: Embedder,
  docs: readonly { id: string; title: string; text: string }[],
  cacheFile: string,
  log: (message: string) => void = () => {},
): Promise<Float32Array> {
  const dims = embedder.dimensions;
  const cached = await fs.readFile(cacheFile).catch(() => null);
  if (cached && cached.byteLength === docs.length * dims * 4) return new Float32Array(new Uint8Array(cached).buffer);
  log(`  embedding ${docs.length} whole documents (MTEB style) …`);
  const inputs = docs.map((d) => [embedder.tokenize(`${d.title} ${d.text}`.trim()).slice(0, embedder.contentTokenLimit)]);
  const out = new Float32Array(docs.length * dims);
  const embedded = await embedder.embedPassages(inputs, (done) => {
    if (done % 1024 === 0) log(`  ${done}/${docs.length}`);
  });
  embedded.forEach((e, i) => out.set(e.passage, i * dims));
  await fs.mkdir(path.dirname(cacheFile), { recursive: true });
  await fs.writeFile(cacheFile, new Uint8Array(out.buffer));
  return out;
}

/** nDCG@10, Recall@100 and MRR@10 of the exact cosine ranking of whole-document vectors. */
export async function evaluateWholeDocuments(
  embedder: Embedder,
  docIds: readonly string[],
  vectors: Float32Array,
  queries: readonly BeirQuery[],
  qrels: Qrels,
): Promise<RankingScores> {
  const dims = embedder.dimensions;
  const ndcg: number[] = [];
  const recall: number[] = [];
  const mrr: number[] = [];
  for (const query of queries) {
    const judged = qrels.get(query.id);
    if (!judged) continue;
    const q = await embedder.embedQuery(normalizeQuestion(query.text));
    const scores = docIds.map((id, i) => {
      let s = 0;
      for (let d = 0; d < dims; d += 1) s += q[d]! * vectors[i * dims + d]!;
      return { id, s };
    });
    const ranked = scores.sort((a, b) => b.s - a.s).slice(0, 100).map((x) => x.id);
    ndcg.push(ndcgAtK(ranked, judged, 10));
    recall.push(recallAtK(ranked, judged, 100));
    mrr.push(mrrAtK(ranked, judged, 10));
  }
  return { queries: ndcg.length, ndcg10: mean(ndcg), recall100: mean(recall), mrr10: mean(mrr) };
}
