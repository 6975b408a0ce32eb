/**
 * Vectors on disk as int8 rows (a float32 scale, then one signed byte per dimension: 388 bytes
 * for 384 dimensions instead of 1,536), read lazily through an open file descriptor: a question
 * reads only its candidates' rows. Recently read rows and texts are kept in one small cache for
 * the whole process, so memory does not grow with the collection.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const rowBytes = (dims: number) => 4 + dims;

/** Writes one vector as an int8 row at `offset` of `out`. */
export function quantizeInto(vector: Float32Array, from: number, dims: number, out: Buffer, offset: number): void {
  let max = 0;
  for (let d = 0; d < dims; d += 1) max = Math.max(max, Math.abs(vector[from + d]!));
  const scale = max / 127 || 1;
  out.writeFloatLE(scale, offset);
  for (let d = 0; d < dims; d += 1) out.writeInt8(Math.round(vector[from + d]! / scale), offset + 4 + d);
}

/** Row-major float vectors as int8 rows. */
export function quantizeRows(vectors: Float32Array, dims: number): Buffer {
  const rows = vectors.length / dims;
  const out = Buffer.alloc(rows * rowBytes(dims));
  for (let r = 0; r < rows; r += 1) quantizeInto(vectors, r * dims, dims, out, r * rowBytes(dims));
  return out;
}

export function dequantize(bytes: Uint8Array, offset: number, dims: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scale = view.getFloat32(offset, true);
  const out = new Float32Array(dims);
  for (let d = 0; d < dims; d += 1) out[d] = view.getInt8(offset + 4 + d) * scale;
  return out;
}

/** A least-recently-used cache with a size budget, shared by every open file of the process. */
class Lru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;
  constructor(private readonly budget: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size: number): void {
    const old = this.entries.get(key);
    if (old) this.total -= old.size;
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [k, entry] of this.entries) {
      if (this.total <= this.budget) break;
      this.entries.delete(k);
      this.total -= entry.size;
    }
  }
}

/** About 12 MiB of vectors and 16 MiB of text, whatever the collection's size. */
const vectorCache = new Lru<Float32Array>(8192);
const textCache = new Lru<string>(8 * 1024 * 1024);
let nextFileId = 0;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A file read by position, never whole. */
export class LazyFile {
  private fd: number | null;
  private readonly id = `f${nextFileId++}`;
  readonly bytes: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
    this.bytes = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Buffer {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`${this.file} ends at ${offset + done}, expected ${offset + length} bytes`);
      done += n;
    }
    return out;
  }

  /** Row `row` of an int8 row file, as floats. */
  vector(row: number, dims: number): Float32Array {
    const key = `${this.id}:${row}`;
    const cached = vectorCache.get(key);
    if (cached) return cached;
    const width = rowBytes(dims);
    const vector = dequantize(this.read(row * width, width), 0, dims);
    vectorCache.set(key, vector, 1);
    return vector;
  }

  /** UTF-8 text at a byte range, decoded exactly as the corpus reader decodes files. */
  text(offset: number, length: number): string {
    const key = `${this.id}:${offset}`;
    const cached = textCache.get(key);
    if (cached !== undefined) return cached;
    const text = utf8.decode(this.read(offset, length));
    textCache.set(key, text, text.length);
    return text;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
