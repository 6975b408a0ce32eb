/**
 * `npm run bench -- --scale N`: index structures for N passages, built from synthetic vectors
 * (embedding a million real passages takes hours here): copies of the SciFact store's documents
 * (texts, sentences, passages as they are) whose passage and sentence vectors are the real ones
 * with noise added (cosine about 0.9 to the original). Written through the store like any
 * documents, in segments of SEGMENT_PASSAGES; then a fresh process opens the store and answers
 * searches (vector and BM25, fused) for real SciFact claims: latency and memory. Flagged
 * `synthetic: true` in the output.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../config.js';
import { openStore } from '../index/backend.js';
import type { Embedder } from '../index/embedder.js';
import type { DocumentInput, IndexView } from '../index/store.js';
import { readQueries } from './datasets.js';

/** Passages per written segment (and per batch held in memory while writing). */
const SEGMENT_PASSAGES = 50_000;
/** Noise per component: a perturbed unit vector keeps a cosine of about 0.9 with the original. */
const NOISE = 0.5;

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

function perturbed(vectors: readonly Float32Array[], dims: number): Float32Array {
  const out = new Float32Array(vectors.length * dims);
  const sigma = NOISE / Math.sqrt(dims);
  vectors.forEach((v, r) => {
    let norm = 0;
    for (let d = 0; d < dims; d += 1) {
      const x = v[d]! + sigma * gaussian();
      out[r * dims + d] = x;
      norm += x * x;
    }
    for (let d = 0; d < dims; d += 1) out[r * dims + d]! /= Math.sqrt(norm);
  });
  return out;
}

/** Copy `copy` of a source document, with perturbed vectors. */
function copyOf(view: IndexView, doc: number, copy: number): DocumentInput {
  const record = view.document(doc);
  const [firstSentence, endSentence] = view.sentenceRange(doc);
  const [firstPassage, endPassage] = view.passageRange(doc);
  const passages = Array.from({ length: endPassage - firstPassage }, (_, i) => view.passage(firstPassage + i));
  const rows = passages.flatMap((p) => Array.from({ length: p.end - p.first }, (_, i) => view.sentenceVector(p.sentenceRow + i)));
  const file = `scale/${copy}/${record.path}`;
  return {
    record: { id: `${record.id}~${copy}`, path: file, hash: record.hash, meta: record.meta, boilerplate: record.boilerplate },
    owner: file,
    signature: 'synthetic',
    fingerprint: 'synthetic',
    text: view.text(doc),
    sentences: Array.from({ length: endSentence - firstSentence }, (_, i) => {
      const { start, end, paragraph } = view.sentence(firstSentence + i);
      return { start, end, paragraph };
    }),
    passages: passages.map((p) => ({ first: p.first - firstSentence, end: p.end - firstSentence })),
    passageVectors: perturbed(passages.map((_, i) => view.passageVector(firstPassage + i)), view.dimensions),
    sentenceVectors: perturbed(rows, view.dimensions),
    lineKeys: [],
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(full) : (await fs.stat(full)).size;
  }
  return total;
}

export async function scaleRun(target: number, largeDir: string, embedder: Embedder, log: (m: string) => void) {
  const source = await openStore(path.join(largeDir, 'store')).view();
  const storeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-scale-'));
  try {
    const store = openStore(storeDir);
    const settings = { modelId: source.modelId, dimensions: source.dimensions, packing: { maxTokens: 128, overlapSentences: 1 } };
    const started = performance.now();
    let passages = 0;
    let batch: DocumentInput[] = [];
    let batchPassages = 0;
    const docs = source.documentNumbers();
    for (let copy = 0; passages < target; copy += 1) {
      for (const doc of docs) {
        if (passages >= target) break;
        const input = copyOf(source, doc, copy);
        batch.push(input);
        batchPassages += input.passages.length;
        passages += input.passages.length;
        if (batchPassages >= SEGMENT_PASSAGES || passages >= target) {
          await store.write({ settings, add: batch });
          log(`[scale] ${passages} passages written (${Math.round((performance.now() - started) / 1000)} s)`);
          batch = [];
          batchPassages = 0;
        }
      }
    }
    const buildSeconds = (performance.now() - started) / 1000;
    const queries = (await readQueries('scifact')).slice(0, 200).map((q) => q.text);
    const vectors: number[][] = [];
    for (const q of queries) vectors.push(Array.from(await embedder.embedQuery(q)));
    const probeInput = path.join(storeDir, 'probe.json');
    await fs.writeFile(probeInput, JSON.stringify({ queries, vectors }));
    log('[scale] searching from a fresh process…');
    const script = path.join(PROJECT_ROOT, 'dist', 'tools', 'scale-probe.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script, storeDir, probeInput], { maxBuffer: 1 << 24 });
    const probe = JSON.parse(stdout) as Record<string, number>;
    const status = (await store.status())!;
    return {
      synthetic: true,
      note: 'copies of the SciFact store\'s documents with perturbed real vectors (cosine ~0.9); not embedded by the model',
      passages: status.passages,
      documents: status.documents,
      segments: probe.segments,
      buildSeconds: Math.round(buildSeconds),
      diskPerPassageKiB: Math.round(((await folderBytes(path.join(storeDir, 'index'))) / 1024 / status.passages) * 100) / 100,
      ...probe,
    };
  } finally {
    source.close();
    await fs.rm(storeDir, { recursive: true, force: true });
  }
}
