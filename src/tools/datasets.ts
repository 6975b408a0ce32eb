/**
 * Loaders for the public data sets in `../shared/datasets/` (never copied into the repository),
 * and a writer that turns a data set's documents into corpus files for the project's own pipeline.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { PROJECT_ROOT } from '../config.js';

export type DatasetName = 'scifact' | 'squad' | 'news';

/** `DATASETS_DIR` when set (a checkout elsewhere, a git worktree), else `../shared/datasets` relative to the project root. */
export const DEFAULT_DATASETS_DIR = path.resolve(PROJECT_ROOT, process.env.DATASETS_DIR || path.join('..', 'shared', 'datasets'));

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

/** Relevance judgements: query id → document id → grade (> 0 is relevant). */
export type Qrels = Map<string, Map<string, number>>;

export interface BeirDataset {
  corpus: BeirDocument[];
  /** Only the queries that have judgements in the split, in file order. */
  queries: BeirQuery[];
  qrels: Qrels;
}

async function* jsonLines(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>;
  }
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : value == null ? '' : String(value));

export async function readQrels(file: string): Promise<Qrels> {
  const qrels: Qrels = new Map();
  const text = await fs.readFile(file, 'utf8');
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const [query, doc, score] = line.split('\t');
    if (!query || !doc || score === undefined || (i === 0 && Number.isNaN(Number(score)))) continue;
    let judged = qrels.get(query);
    if (!judged) qrels.set(query, (judged = new Map()));
    judged.set(doc, Number(score));
  }
  return qrels;
}

/** A BEIR-layout data set (corpus.jsonl, queries.jsonl, qrels/<split>.tsv). */
export async function loadBeir(dir: string, split = 'test'): Promise<BeirDataset> {
  const corpus: BeirDocument[] = [];
  for await (const row of jsonLines(path.join(dir, 'corpus.jsonl'))) {
    corpus.push({ id: asText(row._id), title: asText(row.title).trim(), text: asText(row.text).trim() });
  }
  const qrels = await readQrels(path.join(dir, 'qrels', `${split}.tsv`));
  const queries: BeirQuery[] = [];
  for await (const row of jsonLines(path.join(dir, 'queries.jsonl'))) {
    const id = asText(row._id);
    if (qrels.has(id)) queries.push({ id, text: asText(row.text) });
  }
  return { corpus, queries, qrels };
}

export function scifactDir(datasetsDir: string): string {
  return path.join(datasetsDir, 'scifact');
}

export function loadScifact(datasetsDir = DEFAULT_DATASETS_DIR): Promise<BeirDataset> {
  return loadBeir(scifactDir(datasetsDir));
}

export interface SquadQuestion {
  id: string;
  question: string;
  /** Accepted answer strings (deduplicated). */
  answers: string[];
  /** Index of the article it was asked about. */
  article: number;
}

export interface SquadArticle {
  title: string;
  paragraphs: string[];
}

export interface SquadDataset {
  articles: SquadArticle[];
  questions: SquadQuestion[];
}

export function squadFile(datasetsDir: string): string {
  return path.join(datasetsDir, 'squad-v1.1-dev', 'dev-v1.1.json');
}

interface SquadJson {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[];
}

export async function loadSquad(datasetsDir = DEFAULT_DATASETS_DIR): Promise<SquadDataset> {
  const json = JSON.parse(await fs.readFile(squadFile(datasetsDir), 'utf8')) as SquadJson;
  const articles: SquadArticle[] = [];
  const questions: SquadQuestion[] = [];
  json.data.forEach((article, index) => {
    articles.push({ title: article.title, paragraphs: article.paragraphs.map((p) => p.context.trim()) });
    for (const paragraph of article.paragraphs) {
      for (const qa of paragraph.qas) {
        const answers = [...new Set(qa.answers.map((a) => a.text.trim()).filter(Boolean))];
        if (answers.length) questions.push({ id: qa.id, question: qa.question, answers, article: index });
      }
    }
  });
  return { articles, questions };
}

/** One question of realtimeqa-dev (`questions.jsonl`). */
export interface NewsQuestion {
  id: string;
  question: string;
  /** Accepted answers, as written by the quiz. */
  answers: string[];
  /** The day the quiz was published (its "this week"). */
  date: string | null;
  /** Slugs (file names without `.txt`) of the question's own articles that contain the answer. */
  goldFiles: string[];
}

export function newsDir(datasetsDir: string): string {
  return path.join(datasetsDir, 'realtimeqa-dev');
}

/** The realtimeqa-dev corpus folder: `<slug>.txt` articles with `<slug>.meta.json` sidecars. */
export function newsCorpusDir(datasetsDir: string): string {
  return path.join(newsDir(datasetsDir), 'corpus');
}

export async function loadNewsQuestions(datasetsDir = DEFAULT_DATASETS_DIR): Promise<NewsQuestion[]> {
  const questions: NewsQuestion[] = [];
  for await (const row of jsonLines(path.join(newsDir(datasetsDir), 'questions.jsonl'))) {
    const strings = (value: unknown) => (Array.isArray(value) ? value.map(asText) : []);
    questions.push({
      id: asText(row.id),
      question: asText(row.question),
      answers: strings(row.answers),
      date: typeof row.date === 'string' ? row.date : null,
      goldFiles: strings(row.gold_files),
    });
  }
  return questions;
}

/** The news articles exactly as stored (text and sidecar), by slug, in file name order. */
async function newsFiles(datasetsDir: string): Promise<{ id: string; text: string; sidecar?: string }[]> {
  const dir = newsCorpusDir(datasetsDir);
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
  return Promise.all(
    names.map(async (name) => {
      const id = name.slice(0, -'.txt'.length);
      const sidecar = await fs.readFile(path.join(dir, `${id}.meta.json`), 'utf8').catch(() => undefined);
      return { id, text: await fs.readFile(path.join(dir, name), 'utf8'), ...(sidecar === undefined ? {} : { sidecar }) };
    }),
  );
}

/** A file name that is safe everywhere and keeps the id readable. */
export function corpusFileName(id: string): string {
  return `${id.replace(/[^\w.()-]+/g, '_').replace(/^\.+/, '_')}.txt`;
}

/** The corpus file of a SciFact abstract: the title on the first line, then the text. */
export function scifactFileText(doc: BeirDocument): string {
  return doc.title ? `${doc.title}\n${doc.text}\n` : `${doc.text}\n`;
}

/** The corpus file of a SQuAD article: its paragraphs in order, a blank line between them. */
export function squadFileText(article: SquadArticle): string {
  return `${article.paragraphs.join('\n\n')}\n`;
}

/** The corpus id (file name without `.txt`) of SQuAD article `index`: numbered so that order is kept. */
export function squadDocumentId(article: SquadArticle, index: number): string {
  return corpusFileName(`${String(index).padStart(2, '0')}_${article.title}`).replace(/\.txt$/, '');
}

export interface WrittenCorpus {
  /** Corpus ids (file names without `.txt`), in data set order. */
  ids: string[];
  /** Files whose content changed (or were new) in this call. */
  changed: number;
  /** Stale `.txt` / `.meta.json` files removed from the folder. */
  removed: number;
}

export interface WriteCorpusOptions {
  /** Only the first `limit` documents (SciFact abstracts, SQuAD articles). */
  limit?: number;
  /** Only these documents: SciFact ids, SQuAD article indices as strings, news slugs. Applied before `limit`. */
  only?: ReadonlySet<string>;
}

/**
 * Writes a data set's documents as corpus files (one `.txt` per document; for SQuAD a
 * `.meta.json` sidecar with the article title, for news the article's own) into `outDir`, and removes `.txt` and `.meta.json`
 * files there that are no longer part of it, so the folder is exactly the selection. Files whose
 * content is unchanged are left alone, so an incremental index build sees nothing new.
 */
export async function writeDatasetCorpus(
  dataset: DatasetName,
  datasetsDir: string,
  outDir: string,
  limit?: number,
  options: Omit<WriteCorpusOptions, 'limit'> = {},
): Promise<WrittenCorpus> {
  const files: { id: string; text: string; meta?: Record<string, string>; sidecar?: string }[] = [];
  if (dataset === 'news') {
    // Copied byte for byte (quotes are slices of these files; the sidecars carry outlet and date).
    for (const file of await newsFiles(datasetsDir)) if (!options.only || options.only.has(file.id)) files.push(file);
  } else if (dataset === 'scifact') {
    const { corpus } = await loadScifact(datasetsDir);
    for (const doc of corpus) {
      if (options.only && !options.only.has(doc.id)) continue;
      files.push({ id: corpusFileName(doc.id).replace(/\.txt$/, ''), text: scifactFileText(doc) });
    }
  } else {
    const { articles } = await loadSquad(datasetsDir);
    articles.forEach((article, index) => {
      if (options.only && !options.only.has(String(index))) return;
      files.push({ id: squadDocumentId(article, index), text: squadFileText(article), meta: { title: article.title.replace(/_/g, ' ') } });
    });
  }
  const selected = limit === undefined ? files : files.slice(0, limit);
  await fs.mkdir(outDir, { recursive: true });
  const keep = new Set<string>();
  let changed = 0;
  const writeIfChanged = async (name: string, content: string) => {
    keep.add(name);
    const file = path.join(outDir, name);
    const existing = await fs.readFile(file, 'utf8').catch(() => null);
    if (existing === content) return;
    await fs.writeFile(file, content);
    changed += 1;
  };
  for (const { id, text, meta, sidecar } of selected) {
    await writeIfChanged(`${id}.txt`, text);
    const metaText = sidecar ?? (meta ? `${JSON.stringify(meta)}\n` : undefined);
    if (metaText !== undefined) await writeIfChanged(`${id}.meta.json`, metaText);
  }
  let removed = 0;
  for (const name of await fs.readdir(outDir)) {
    if ((name.endsWith('.txt') || name.endsWith('.meta.json')) && !keep.has(name)) {
      await fs.rm(path.join(outDir, name));
      removed += 1;
    }
  }
  return { ids: selected.map((f) => f.id), changed, removed };
}

/** A data set's questions as `{ id, text }`: SciFact's judged test claims, every SQuAD question, or the news questions. */
export async function readQueries(dataset: DatasetName, datasetsDir = DEFAULT_DATASETS_DIR): Promise<BeirQuery[]> {
  if (dataset === 'scifact') return (await loadScifact(datasetsDir)).queries;
  if (dataset === 'news') return (await loadNewsQuestions(datasetsDir)).map((q) => ({ id: q.id, text: q.question }));
  return (await loadSquad(datasetsDir)).questions.map((q) => ({ id: q.id, text: q.question }));
}

/**
 * A small SciFact sample that still has answers: the first `queryCount` judged queries, and a
 * corpus of `docCount` abstracts made of their judged documents plus others in file order.
 */
export function scifactSample(data: BeirDataset, queryCount: number, docCount: number): { queries: BeirQuery[]; only: Set<string> } {
  const queries = data.queries.slice(0, queryCount);
  const only = new Set<string>();
  for (const q of queries) for (const [doc, grade] of data.qrels.get(q.id) ?? []) if (grade > 0) only.add(doc);
  for (const doc of data.corpus) {
    if (only.size >= docCount) break;
    only.add(doc.id);
  }
  return { queries, only };
}
