import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../src/index/embedder.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { MODEL_NAME } from '../helpers/seeds.js';

interface Reference {
  model: string;
  sentences: string[];
  vectors: number[][];
}

const reference = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', `reference-embeddings.${MODEL_NAME}.json`), 'utf8'),
) as Reference;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

let embedder: Embedder;
beforeAll(async () => {
  embedder = await sharedEmbedder();
});

describe('the int8 model in transformers.js against the original model in PyTorch', () => {
  it('has the reference dimensions', () => {
    expect(reference.model).toBe(MODEL_NAME);
    expect(embedder.dimensions).toBe(reference.vectors[0]!.length);
  });

  it.each(reference.sentences.map((s, i) => [i, s] as const))('sentence %i: cosine ≥ 0.99', async (i, sentence) => {
    const vector = await embedder.embedQuery(sentence);
    expect(cosine(vector, reference.vectors[i]!)).toBeGreaterThanOrEqual(0.99);
  });

  it('tells different sentences apart (the check can fail)', async () => {
    const vector = await embedder.embedQuery(reference.sentences[0]!);
    expect(cosine(vector, reference.vectors[2]!)).toBeLessThan(0.9);
  });

  it('embeds a passage of several sentences like the whole text, in one pass', async () => {
    const sentences = reference.sentences.slice(0, 2);
    const [passage] = await embedder.embedPassages([sentences.map((s) => embedder.tokenize(s))]);
    const whole = await embedder.embedQuery(sentences.join(' '));
    expect(cosine(passage!.passage, whole)).toBeGreaterThan(0.999);
    expect(passage!.sentences).toHaveLength(2);
  });
});
