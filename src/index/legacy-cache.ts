import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files.js';
import type { Sentence, PassageSpan } from './segment.js';

/** One document's segmentation and vectors, kept so that re-indexing and resumed runs skip the model. */
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
export class EmbeddingCache {
  constructor(private readonly folder: string) {}

  static key(parts: readonly unknown[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
  }

  private file(key: string): string {
    return path.join(this.folder, `${key}.bin`);
  }

  async get(key: string, dims: number): Promise<DocumentEmbedding | null> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file(key));
    } catch {
      return null;
    }
    try {
      const headerLength = bytes.readUInt32LE(0);
      const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
      const floats = new Float32Array(bytes.byteLength - 4 - headerLength >= 0 ? (bytes.byteLength - 4 - headerLength) / 4 : 0);
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

  async put(key: string, entry: DocumentEmbedding, dims: number): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    const header: Header = {
      sentences: entry.sentences,
      passages: entry.passages,
      passageRows: entry.passageVectors.length / dims,
      sentenceRows: entry.sentenceVectors.length / dims,
    };
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.byteLength, 0);
    const body = [entry.passageVectors, entry.sentenceVectors].map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    await writeFileAtomic(this.file(key), Buffer.concat([length, json, ...body]));
  }

  /** Removes entries that no current document uses. */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    const names = await fs.readdir(this.folder).catch(() => [] as string[]);
    for (const name of names) {
      if (!keep.has(name.replace(/\.bin$/, ''))) await fs.rm(path.join(this.folder, name), { force: true });
    }
  }
}
