import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { createError, withCause } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { checkJson } from '../validate.js';
import { LexicalIndex } from './lexical.js';
import type { IndexData, Manifest } from './types.js';
import { VectorIndex } from './vector.js';

export const FORMAT_VERSION = 2;
const INDEX_FOLDER = 'index';
const CURRENT = 'CURRENT';
const FILES = {
  data: 'data.json',
  passageVectors: 'passage-vectors.f32',
  sentenceVectors: 'sentence-vectors.f32',
  hnsw: 'passages.hnsw',
  lexical: 'lexical.bin',
} as const;

const count = z.int({ error: 'is not a whole number' }).nonnegative({ error: 'is negative' });
const digest = z.string().regex(/^[0-9a-f]{64}$/, { error: 'is not a SHA-256 digest' });

/** A generation's manifest.json, checked before anything it lists is read (fields added later pass through). */
const manifestSchema: z.ZodType<Manifest> = z.looseObject({
  formatVersion: z.literal(FORMAT_VERSION, { error: `is not format ${FORMAT_VERSION}` }),
  modelId: z.string(),
  dimensions: count.positive({ error: 'is not positive' }),
  packing: z.looseObject({ maxTokens: count, overlapSentences: count }),
  createdAt: z.string(),
  documents: z.array(z.looseObject({ id: z.string(), path: z.string(), hash: z.string(), fingerprint: z.string(), passages: count })),
  passageCount: count,
  sentenceCount: count,
  corpusStamp: z.string().optional(),
  files: z.record(z.string(), z.object({ bytes: count, sha256: digest })),
});

/** A loaded generation of the index: data plus the two search structures. */
export interface Store {
  manifest: Manifest;
  data: IndexData;
  vectors: VectorIndex;
  lexical: LexicalIndex;
  /** The generation folder this was read from. */
  folder: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const asBytes = (vectors: Float32Array) => new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);

function toFloat32(bytes: Buffer, dims: number, name: string): Float32Array {
  if (bytes.byteLength % (4 * dims) !== 0) throw createError('STORE_DAMAGED', `${name} has a partial row`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

function indexRoot(storeDir: string): string {
  return path.join(storeDir, INDEX_FOLDER);
}

/** Writes a new generation beside the current one, then points CURRENT at it in one rename. */
export async function writeStore(
  storeDir: string,
  manifest: Omit<Manifest, 'files' | 'formatVersion'>,
  data: IndexData,
  vectors: VectorIndex,
  lexical: LexicalIndex,
): Promise<string> {
  const root = indexRoot(storeDir);
  const name = `gen-${Date.now()}-${process.pid}`;
  const folder = path.join(root, name);
  await fs.mkdir(folder, { recursive: true });
  const { passageVectors, sentenceVectors, ...rest } = data;
  const contents: Record<string, Uint8Array> = {
    [FILES.data]: Buffer.from(JSON.stringify(rest)),
    [FILES.passageVectors]: asBytes(passageVectors),
    [FILES.sentenceVectors]: asBytes(sentenceVectors),
    [FILES.lexical]: lexical.serialize(),
  };
  const files: Manifest['files'] = {};
  for (const [file, bytes] of Object.entries(contents)) {
    await fs.writeFile(path.join(folder, file), bytes);
    files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  vectors.write(path.join(folder, FILES.hnsw));
  const hnswBytes = await fs.readFile(path.join(folder, FILES.hnsw));
  files[FILES.hnsw] = { bytes: hnswBytes.byteLength, sha256: sha256(hnswBytes) };
  await fs.writeFile(path.join(folder, 'manifest.json'), JSON.stringify({ formatVersion: FORMAT_VERSION, ...manifest, files }, null, 1));
  await writeFileAtomic(path.join(root, CURRENT), name);
  await pruneGenerations(root, name);
  return folder;
}

/** Records a new corpus stamp in a generation's manifest (the data is unchanged). */
export async function updateCorpusStamp(folder: string, manifest: Manifest, corpusStamp: string): Promise<void> {
  await writeFileAtomic(path.join(folder, 'manifest.json'), JSON.stringify({ ...manifest, corpusStamp }, null, 1));
}

/** Keeps the current generation and the one before it (a reader may still be loading it). */
async function pruneGenerations(root: string, current: string): Promise<void> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  const generations = entries
    .filter((e) => e.isDirectory() && e.name.startsWith('gen-') && e.name !== current)
    .map((e) => e.name)
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));
  for (const old of generations.slice(0, -1)) await fs.rm(path.join(root, old), { recursive: true, force: true });
}

/** The manifest of the current generation, or null when there is no index yet. */
export async function readManifest(storeDir: string): Promise<{ manifest: Manifest; folder: string } | null> {
  const root = indexRoot(storeDir);
  let name: string;
  try {
    name = (await fs.readFile(path.join(root, CURRENT), 'utf8')).trim();
  } catch {
    return null;
  }
  const folder = path.join(root, name);
  let raw: string;
  try {
    raw = await fs.readFile(path.join(folder, 'manifest.json'), 'utf8');
  } catch (cause) {
    throw withCause(createError('STORE_DAMAGED', `${name}/manifest.json is missing`), cause);
  }
  const checked = checkJson(manifestSchema, raw);
  if (!checked.ok) throw createError('STORE_DAMAGED', `${name}/manifest.json: ${checked.problem}`);
  return { manifest: checked.value, folder };
}

function readChecked(folder: string, manifest: Manifest, file: string): Buffer {
  const expected = manifest.files[file];
  if (!expected) throw createError('STORE_DAMAGED', `${file} is not listed in the manifest`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(folder, file));
  } catch (cause) {
    throw withCause(createError('STORE_DAMAGED', `${file} is missing`), cause);
  }
  if (bytes.byteLength !== expected.bytes) throw createError('STORE_DAMAGED', `${file} is ${bytes.byteLength} bytes, expected ${expected.bytes}`);
  if (sha256(bytes) !== expected.sha256) throw createError('STORE_DAMAGED', `${file} does not match its checksum`);
  return bytes;
}

/** Loads the current generation, verifying every file before any of it is trusted. */
export async function loadStore(storeDir: string): Promise<Store> {
  const current = await readManifest(storeDir);
  if (!current) throw createError('STORE_MISSING', storeDir);
  const { manifest, folder } = current;
  const dims = manifest.dimensions;
  const bytes = Object.fromEntries(Object.values(FILES).map((file) => [file, readChecked(folder, manifest, file)]));
  try {
    const rest = JSON.parse(bytes[FILES.data]!.toString('utf8')) as Omit<IndexData, 'passageVectors' | 'sentenceVectors'>;
    const data: IndexData = {
      ...rest,
      passageVectors: toFloat32(bytes[FILES.passageVectors]!, dims, FILES.passageVectors),
      sentenceVectors: toFloat32(bytes[FILES.sentenceVectors]!, dims, FILES.sentenceVectors),
    };
    const vectors = VectorIndex.read(path.join(folder, FILES.hnsw), dims);
    const lexical = LexicalIndex.deserialize(bytes[FILES.lexical]!);
    return { manifest, data, vectors, lexical, folder };
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.name === 'VerbatimError') throw cause;
    throw withCause(createError('STORE_DAMAGED', `files in ${path.basename(folder)} unreadable`), cause);
  }
}
