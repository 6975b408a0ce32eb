/**
 * Names (capitalised words inside sentences: people, places, units) and, per segment, which
 * documents use each, so that "how many documents spell it this way?" is answered from the index
 * instead of by reading every text.
 */
import type { Sentence } from './segment.js';

/** Capitalised words inside sentences (not the first word): names of people, places, units. */
const NAME = /(?<=\s)\p{Lu}[\p{L}'’-]{2,}/gu;

export function namesIn(text: string): string[] {
  return text.match(NAME) ?? [];
}

/**
 * The names two or more documents use, of those starting with `initial`, remembered per initial
 * in `cache` (a view is fixed, so its answer never changes).
 */
export function sharedNamesFrom(cache: Map<string, string[]>, initial: string, counts: (initial: string) => ReadonlyMap<string, number>): readonly string[] {
  let names = cache.get(initial);
  if (!names) {
    names = [...counts(initial)].filter(([, n]) => n >= 2).map(([name]) => name);
    cache.set(initial, names);
  }
  return names;
}

/** A document's distinct names, lower case, as its sentences give them. */
export function documentNames(text: string, sentences: readonly Pick<Sentence, 'start' | 'end'>[]): string[] {
  const names = new Set<string>();
  for (const s of sentences) for (const name of namesIn(` ${text.slice(s.start, s.end)}`)) names.add(name.toLowerCase());
  return [...names];
}

/** Sorted names, each with the documents (numbers within a segment) that use it. */
export class NameTable {
  private constructor(
    readonly names: readonly string[],
    readonly offsets: Int32Array,
    readonly docs: Int32Array,
  ) {}

  static build(namesByDocument: readonly (readonly string[])[]): NameTable {
    const postings = new Map<string, number[]>();
    namesByDocument.forEach((names, doc) => {
      for (const name of names) {
        const list = postings.get(name);
        if (list) list.push(doc);
        else postings.set(name, [doc]);
      }
    });
    return NameTable.from(postings);
  }

  private static from(postings: Map<string, number[]>): NameTable {
    const names = [...postings.keys()].sort();
    const offsets = new Int32Array(names.length + 1);
    names.forEach((name, i) => (offsets[i + 1] = offsets[i]! + postings.get(name)!.length));
    const docs = new Int32Array(offsets[names.length]!);
    names.forEach((name, i) => docs.set(postings.get(name)!, offsets[i]!));
    return new NameTable(names, offsets, docs);
  }

  /** Joins tables; `map` takes each table's documents to their numbers in the result (-1 drops one). */
  static merge(parts: readonly { table: NameTable; map: Int32Array }[]): NameTable {
    const postings = new Map<string, number[]>();
    for (const { table, map } of parts) {
      table.names.forEach((name, i) => {
        for (let at = table.offsets[i]!; at < table.offsets[i + 1]!; at += 1) {
          const doc = map[table.docs[at]!]!;
          if (doc < 0) continue;
          const list = postings.get(name);
          if (list) list.push(doc);
          else postings.set(name, [doc]);
        }
      });
    }
    return NameTable.from(postings);
  }

  /** Index of the first name not below `prefix`. */
  lowerBound(prefix: string): number {
    let low = 0;
    let high = this.names.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.names[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The documents using `name` (empty when none). */
  documentsOf(name: string): Int32Array {
    const i = this.lowerBound(name);
    return this.names[i] === name ? this.docs.subarray(this.offsets[i]!, this.offsets[i + 1]!) : new Int32Array(0);
  }

  serialize(): Uint8Array {
    const json = Buffer.from(JSON.stringify({ names: this.names, counts: this.names.map((_, i) => this.offsets[i + 1]! - this.offsets[i]!) }));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(json.byteLength, 0);
    return Buffer.concat([size, json, Buffer.from(this.docs.buffer, this.docs.byteOffset, this.docs.byteLength)]);
  }

  static deserialize(bytes: Buffer): NameTable {
    const length = bytes.readUInt32LE(0);
    const { names, counts } = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as { names: string[]; counts: number[] };
    const offsets = new Int32Array(names.length + 1);
    counts.forEach((count, i) => (offsets[i + 1] = offsets[i]! + count));
    const body = bytes.subarray(4 + length);
    if (body.byteLength !== offsets[names.length]! * 4) throw new Error(`name table is ${bytes.byteLength} bytes, expected ${4 + length + offsets[names.length]! * 4}`);
    let docs: Int32Array;
    if (body.byteOffset % 4 === 0) docs = new Int32Array(body.buffer, body.byteOffset, offsets[names.length]!);
    else {
      docs = new Int32Array(offsets[names.length]!);
      new Uint8Array(docs.buffer).set(body);
    }
    return new NameTable(names, offsets, docs);
  }
}
