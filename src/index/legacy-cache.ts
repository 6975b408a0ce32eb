/**
 * The per-document embedding cache of the earlier store format (`embeddings/cache/<model>/`). The
 * segments now keep what it kept, so nothing writes it any more; a store upgraded from that format
 * takes its vectors from it instead of running the model again, then removes it.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Sentence, PassageSpan } from './segment.js';

/** One document's segmentation and vectors. */
export interface DocumentEmbedding {
  sentences: Sentence[];
  passages: PassageSpan[];
  /** One row per passage. */
  passageVectors: Float32Array;
  /** One row per sentence occurrence, passage by passage. */
  sentenceVectors: Float32Array;
}

interface Header {
  sentences: Sentence[];
  passages: PassageSpan[];
  passageRows: number;
  sentenceRows: number;
}

/** A content-addressed folder of per-document embeddings (key: model, packing, text, boilerplate). */
export class LegacyEmbeddingCache {
  constructor(readonly folder: string) {}

  static key(parts: readonly unknown[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
  }

  async get(key: string, dims: number): Promise<DocumentEmbedding | null> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(this.folder, `${key}.bin`));
    } catch {
      return null;
    }
    try {
      const headerLength = bytes.readUInt32LE(0);
      const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
      const floats = new Float32Array(Math.max(0, bytes.byteLength - 4 - headerLength) / 4);
      new Uint8Array(floats.buffer).set(bytes.subarray(4 + headerLength));
      const passageFloats = header.passageRows * dims;
      if (floats.length !== passageFloats + header.sentenceRows * dims) return null;
      return {
        sentences: header.sentences,
        passages: header.passages,
        passageVectors: floats.slice(0, passageFloats),
        sentenceVectors: floats.slice(passageFloats),
      };
    } catch {
      return null; // a damaged entry is simply recomputed
    }
  }

  async has(key: string): Promise<boolean> {
    return (await fs.stat(path.join(this.folder, `${key}.bin`)).catch(() => null)) !== null;
  }

  async exists(): Promise<boolean> {
    return (await fs.stat(this.folder).catch(() => null))?.isDirectory() ?? false;
  }

  /** Removes the model's cache folder (other folders under `cache/`, such as eval's, stay). */
  async remove(): Promise<void> {
    await fs.rm(this.folder, { recursive: true, force: true });
  }
}
