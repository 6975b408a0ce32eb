import { Embedder } from '../../src/index/embedder.js';
import { MODEL_DIR, MODEL_NAME } from './seeds.js';

let shared: Promise<Embedder> | undefined;

/** The real model, loaded once per test file. */
export function sharedEmbedder(): Promise<Embedder> {
  shared ??= Embedder.load(MODEL_DIR, MODEL_NAME);
  return shared;
}
