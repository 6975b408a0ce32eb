/**
 * Writing a batch into PostgreSQL inside the caller's transaction: documents, passages, postings
 * and line keys go in by COPY (a first build of thousands of documents is one stream per table),
 * removals by cascading deletes. Rows are what the embedded store keeps in a segment: int8
 * vector rows, sentence and passage spans, the quotable text; plus the full passage vectors
 * that pgvector searches.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { documentVector, passageTexts } from '../embedded/input.js';
import { quantizeInto, quantizeRows, rowBytes } from '../embedded/rows.js';
import { LexicalIndex } from '../lexical.js';
import { documentNames } from '../names.js';
import type { DocumentInput } from '../store.js';

/** A value in COPY's text format. */
function field(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const bytea = (bytes: Uint8Array) => `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
const intArray = (values: readonly number[]) => `{${values.join(',')}}`;
/** A text[] literal: each element quoted, with quotes and backslashes escaped. */
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
export const vectorLiteral = (vector: Float32Array) => `[${Array.from(vector).join(',')}]`;

/** Streams rows into a table with COPY (rows are produced lazily, a few at a time). */
export async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: Iterable<(string | number | null)[]>): Promise<void> {
  function* lines() {
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(field).join('\t')}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines()), stream);
}

/**
 * Takes documents' postings out of their terms' passage counts, before the documents are deleted:
 * all of the collection's (`paths` null) or those of the documents at `paths`.
 */
export async function forgetTerms(client: pg.PoolClient, collection: string, paths: readonly string[] | null): Promise<void> {
  if (paths === null) {
    await client.query('DELETE FROM term_stats WHERE collection = $1', [collection]);
    return;
  }
  await client.query(
    `UPDATE term_stats s SET df = s.df - gone.df
       FROM (SELECT p.term, count(*)::int AS df FROM postings p JOIN documents d USING (collection, doc)
              WHERE d.collection = $1 AND d.path = ANY($2::text[]) GROUP BY p.term) gone
      WHERE s.collection = $1 AND s.term = gone.term`,
    [collection, paths],
  );
  await client.query('DELETE FROM term_stats WHERE collection = $1 AND df <= 0', [collection]);
}

/** A collection's BM25 statistics: how many passages, and their total length. */
export interface LengthTotals {
  passages: number;
  length: number;
}

/** BM25's term weight of a posting without the IDF (k1 1.2, b 0.75, as in bm25.ts): its impact. */
export const impact = (frequency: number, length: number, average: number) => (frequency * 2.2) / (frequency + 1.2 * (1 - 0.75 + (0.75 * length) / Math.max(average, 1e-9)));

/**
 * Adds documents numbered from `firstDoc`, in one COPY per table; returns their passages' count and
 * total length. `before` is the collection's totals without them: each posting's impact (the order
 * that capped BM25 reads a frequent term's postings in) takes the average length with them.
 */
export async function insertDocuments(
  client: pg.PoolClient,
  collection: string,
  firstDoc: number,
  add: readonly DocumentInput[],
  dims: number,
  before: LengthTotals,
): Promise<LengthTotals> {
  const numbered = add.map((input, i) => ({ input, doc: firstDoc + i }));
  await copyRows(
    client,
    'documents',
    ['collection', 'doc', 'path', 'id', 'owner', 'signature', 'fingerprint', 'record', 'text', 'sentences', 'passages', 'passage_rows', 'sentence_rows', 'document_row', 'names'],
    (function* () {
      for (const { input, doc } of numbered) {
        const documentRow = Buffer.alloc(rowBytes(dims));
        quantizeInto(documentVector(input.passageVectors, dims), 0, dims, documentRow, 0);
        yield [
          collection,
          doc,
          input.record.path,
          input.record.id,
          input.owner,
          input.signature,
          input.fingerprint,
          JSON.stringify(input.record),
          input.text,
          intArray(input.sentences.flatMap((s) => [s.start, s.end, s.paragraph])),
          intArray(input.passages.flatMap((p) => [p.first, p.end])),
          bytea(quantizeRows(input.passageVectors, dims)),
          bytea(quantizeRows(input.sentenceVectors, dims)),
          bytea(documentRow),
          textArray(documentNames(input.text, input.sentences)),
        ];
      }
    })(),
  );
  // The postings are the lexical index's own, so BM25 from the database scores as the embedded store does.
  const owners: { doc: number; ord: number }[] = [];
  const texts: string[] = [];
  for (const { input, doc } of numbered) {
    passageTexts(input).forEach((text, ord) => {
      owners.push({ doc, ord });
      texts.push(text);
    });
  }
  const lexical = LexicalIndex.build(texts);
  const added = { passages: texts.length, length: lexical.lengths.reduce((n, l) => n + l, 0) };
  const average = (before.length + added.length) / Math.max(1, before.passages + added.passages);
  await copyRows(
    client,
    'passages',
    ['collection', 'doc', 'ord', 'length', 'embedding'],
    (function* () {
      let at = 0;
      for (const { input } of numbered) {
        for (let ord = 0; ord < input.passages.length; ord += 1, at += 1) {
          const vector = input.passageVectors.subarray(ord * dims, (ord + 1) * dims);
          yield [collection, owners[at]!.doc, ord, lexical.lengths[at]!, vectorLiteral(vector)];
        }
      }
    })(),
  );
  await copyRows(
    client,
    'postings',
    ['collection', 'term', 'doc', 'ord', 'frequency', 'length', 'impact'],
    (function* () {
      for (let id = 0; id < lexical.terms.length; id += 1) {
        for (let at = lexical.offsets[id]!; at < lexical.offsets[id + 1]!; at += 1) {
          const { doc, ord } = owners[lexical.docs[at]!]!;
          const [frequency, length] = [lexical.frequencies[at]!, lexical.lengths[lexical.docs[at]!]!];
          yield [collection, lexical.terms[id]!, doc, ord, frequency, length, impact(frequency, length, average)];
        }
      }
    })(),
  );
  await client.query(
    `INSERT INTO term_stats (collection, term, df) SELECT $1, * FROM unnest($2::text[], $3::int[])
     ON CONFLICT (collection, term) DO UPDATE SET df = term_stats.df + excluded.df`,
    [collection, lexical.terms, lexical.terms.map((_, id) => lexical.offsets[id + 1]! - lexical.offsets[id]!)],
  );
  await copyRows(
    client,
    'line_keys',
    ['collection', 'key', 'doc'],
    (function* () {
      for (const { input, doc } of numbered) for (const key of input.lineKeys) yield [collection, key, doc];
    })(),
  );
  return added;
}
