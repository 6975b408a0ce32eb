import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../src/index/embedder.js';
import {
  DEFAULT_DATASETS_DIR,
  loadNewsQuestions,
  loadScifact,
  loadSquad,
  newsCorpusDir,
  scifactSample,
  squadDocumentId,
  squadFileText,
  writeDatasetCorpus,
  type NewsQuestion,
} from '../../src/tools/datasets.js';
import { calibrationTable, chooseThreshold, scoreQuestions } from '../../src/tools/eval/calibration.js';
import { askAll } from '../../src/tools/eval/news.js';
import { diagnoseNews } from '../../src/tools/eval/news-diagnose.js';
import { scoreAnswers } from '../../src/tools/eval/news-score.js';
import { makeSearcher, prepareIndex } from '../../src/tools/eval/prepare.js';
import { formatTable, MODES } from '../../src/tools/eval/report.js';
import { evaluateRanking } from '../../src/tools/eval/scifact.js';
import { evaluateQuotes } from '../../src/tools/eval/squad.js';
import { containsAnswer, documentRanking, mrrAtK, ndcgAtK, recallAtK, seededSample } from '../../src/tools/metrics.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';

describe('ranking metrics', () => {
  const judged = new Map([
    ['a', 1],
    ['b', 2],
    ['z', 0],
  ]);

  it('computes nDCG with linear gains and log2 discounts, as BEIR does', () => {
    // DCG = 0 + 2/log2(3) + 1/log2(4); ideal = 2/log2(2) + 1/log2(3).
    expect(ndcgAtK(['c', 'b', 'a'], judged, 10)).toBeCloseTo(0.66967181649423, 12);
    expect(ndcgAtK(['b', 'a', 'c'], judged, 10)).toBe(1);
    expect(ndcgAtK(['c', 'z', 'd'], judged, 10)).toBe(0);
    // The cut-off: only the first k ranks count, the ideal is cut too.
    expect(ndcgAtK(['c', 'b'], judged, 1)).toBe(0);
    expect(ndcgAtK(['a', 'b'], judged, 1)).toBeCloseTo(0.5, 12);
    expect(ndcgAtK(['x'], new Map(), 10)).toBe(0);
  });

  it('computes recall, MRR, and ranks documents by their best passage', () => {
    expect(recallAtK(['c', 'a', 'd'], judged, 100)).toBe(0.5);
    expect(recallAtK(['c', 'a', 'b'], judged, 2)).toBe(0.5);
    expect(recallAtK(['b', 'a'], judged, 2)).toBe(1);
    expect(mrrAtK(['c', 'd', 'a'], judged, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAtK(['c', 'd', 'a'], judged, 2)).toBe(0);
    expect(documentRanking(['d1', 'd2', 'd1', 'd3', 'd2'])).toEqual(['d1', 'd2', 'd3']);
  });

  it('samples reproducibly and matches answers with folded case and white space', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = seededSample(items, 10, 7);
    expect(a).toEqual(seededSample(items, 10, 7));
    expect(a).not.toEqual(seededSample(items, 10, 8));
    expect(new Set(a).size).toBe(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(containsAnswer('The Denver  Broncos won.', ['denver broncos'])).toBe(true);
    expect(containsAnswer('The Panthers lost.', ['Denver Broncos', ''])).toBe(false);
  });

  it('tabulates calibration errors per threshold and picks the fewest errors', () => {
    const indexed = [
      { best: 0.6, answered: true },
      { best: 0.5, answered: true },
      { best: 0.45, answered: false },
      { best: 0.3, answered: true },
    ];
    const heldOut = [{ best: 0.35, answered: false }, { best: 0.42, answered: false }, { best: 0.55, answered: false }];
    const rows = calibrationTable(indexed, heldOut, [], [0.3, 0.4, 0.5, 0.6]);
    expect(rows[1]).toEqual({ threshold: 0.4, falseCoverage: 2 / 3, falseCoverageCross: 0, lostQuestions: 0.25, lostAnswers: 1 / 3 });
    expect(rows[2]).toMatchObject({ falseCoverage: 1 / 3, lostQuestions: 0.5, lostAnswers: 1 / 3 });
    expect(chooseThreshold(rows)?.threshold).toBe(0.5);
    expect(formatTable(['mode', 'x'], [['a', 0.5]])).toContain('0.500');
  });
});

describe('on small real samples of the data sets', () => {
  let embedder: Embedder;
  const folders = foldersRemovedAfterAll();
  beforeAll(async () => {
    embedder = await sharedEmbedder();
  });
  
  it('writes corpus files the pipeline reads: SciFact title first, SQuAD paragraphs with blank lines', async () => {
    const folder = await temporaryFolder('verbatim-eval-');
    folders.push(folder);
    const written = await writeDatasetCorpus('squad', DEFAULT_DATASETS_DIR, folder, 2);
    const squad = await loadSquad(DEFAULT_DATASETS_DIR);
    expect(written.ids).toEqual([squadDocumentId(squad.articles[0]!, 0), squadDocumentId(squad.articles[1]!, 1)]);
    expect(await fs.readFile(path.join(folder, `${written.ids[0]}.txt`), 'utf8')).toBe(squadFileText(squad.articles[0]!));
    // Rewriting a smaller selection of another data set leaves exactly that selection.
    const again = await writeDatasetCorpus('scifact', DEFAULT_DATASETS_DIR, folder, 3);
    expect(again).toMatchObject({ changed: 3, removed: 4 });
    const names = (await fs.readdir(folder)).sort();
    expect(names).toEqual(again.ids.map((id) => `${id}.txt`).sort());
    const scifact = await loadScifact(DEFAULT_DATASETS_DIR);
    const first = scifact.corpus[0]!;
    expect(await fs.readFile(path.join(folder, `${first.id}.txt`), 'utf8')).toBe(`${first.title}\n${first.text}\n`);
    expect((await writeDatasetCorpus('scifact', DEFAULT_DATASETS_DIR, folder, 3)).changed).toBe(0);
  });

  it('ranks a SciFact sample: metrics in [0, 1], all modes well above chance', async () => {
    const data = await loadScifact(DEFAULT_DATASETS_DIR);
    const { queries, only } = scifactSample(data, 25, 60);
    const folder = await temporaryFolder('verbatim-eval-');
    folders.push(folder);
    const prepared = await prepareIndex({ dataset: 'scifact', datasetsDir: DEFAULT_DATASETS_DIR, folder, embedder, only });
    expect(prepared.store.documentCount).toBe(only.size);
    const results = await evaluateRanking(prepared.store, embedder, queries, data.qrels, MODES);
    for (const mode of MODES) {
      const r = results[mode]!;
      expect(r.queries).toBe(25);
      for (const value of [r.ndcg10, r.recall100, r.mrr10]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(r.ndcg10, mode).toBeGreaterThan(0.3);
      // Every judged document is in a 60-document corpus, so the vector ranking (which ranks every
      // passage) finds them all within 100; BM25 misses only documents sharing no term with the claim.
      expect(r.recall100, mode).toBeGreaterThanOrEqual(mode === 'lexical' ? 0.8 : 1);
    }
    expect(results.hybrid!.ndcg10).toBeGreaterThan(Math.min(results.lexical!.ndcg10, results.vector!.ndcg10) - 0.05);
  });

  it('finds SQuAD answers inside the quotes of Searcher.ask, and scores held-out questions lower', async () => {
    const squad = await loadSquad(DEFAULT_DATASETS_DIR);
    const folder = await temporaryFolder('verbatim-eval-');
    folders.push(folder);
    const prepared = await prepareIndex({ dataset: 'squad', datasetsDir: DEFAULT_DATASETS_DIR, folder, embedder, limit: 1 });
    const searcher = makeSearcher(prepared.store, embedder);
    const asked = seededSample(squad.questions.filter((q) => q.article === 0), 15, 1);
    const results = await evaluateQuotes(searcher, asked, ['hybrid']);
    const r = results.hybrid!;
    expect(r.questions).toBe(15);
    expect(r.top1).toBeLessThanOrEqual(r.top3);
    expect(r.top3).toBeLessThanOrEqual(r.top5);
    expect(r.top5).toBeGreaterThan(0.3);
    expect(r.meanQuoteChars).toBeGreaterThan(20);
    const heldOut = seededSample(squad.questions.filter((q) => q.article === 5), 15, 1);
    const inside = await scoreQuestions(searcher, asked);
    const outside = await scoreQuestions(searcher, heldOut);
    const median = (xs: { best: number }[]) => xs.map((x) => x.best).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(inside)).toBeGreaterThan(median(outside));
  });

  it('asks news questions as `ask --json` does, every quote verbatim in the data set\'s own files, and diagnoses them', async () => {
    const corpus = newsCorpusDir(DEFAULT_DATASETS_DIR);
    const size = async (slug: string) => (await fs.stat(path.join(corpus, `${slug}.txt`))).size;
    // Three questions whose smallest gold article is short, over just those articles (a small, quick index).
    const picked: { question: NewsQuestion; file: string }[] = [];
    for (const question of await loadNewsQuestions(DEFAULT_DATASETS_DIR)) {
      const sizes = await Promise.all(question.goldFiles.map(async (file) => ({ file, bytes: await size(file) })));
      const smallest = sizes.sort((a, b) => a.bytes - b.bytes)[0];
      if (smallest && smallest.bytes < 4000) picked.push({ question, file: smallest.file });
      if (picked.length === 3) break;
    }
    const folder = await temporaryFolder('verbatim-eval-');
    folders.push(folder);
    const only = new Set(picked.map((p) => p.file));
    const prepared = await prepareIndex({ dataset: 'news', datasetsDir: DEFAULT_DATASETS_DIR, folder, embedder, only });
    expect(prepared.ids.sort()).toEqual([...only].sort());
    for (const id of only) expect(await fs.readFile(path.join(folder, 'corpus', `${id}.txt`))).toEqual(await fs.readFile(path.join(corpus, `${id}.txt`)));
    const searcher = makeSearcher(prepared.store, embedder);
    const questions = picked.map((p) => p.question);
    const answers = await askAll(searcher, questions);
    expect(answers.map((a) => a.question)).toEqual(questions.map((q) => q.question));
    const { summary } = scoreAnswers(questions, answers, corpus);
    expect(summary.warnings).toEqual([]);
    expect(summary.quotes).toBeGreaterThan(0);
    expect(summary.verbatim_rate).toBe(1);
    expect(summary['cited_gold@5']).toBeGreaterThan(0);
    const diagnosis = await diagnoseNews(searcher, questions, answers, 'hybrid', corpus);
    expect(Object.values(diagnosis.funnel).reduce((a, b) => a + b, 0)).toBe(3);
    expect(diagnosis.funnel.quoted).toBe(Math.round(summary['answer_verbatim@5']! * 3));
    // Every question's answer is in its own (indexed) gold article, so retrieval sees it somewhere.
    expect(diagnosis.funnel.notRetrieved).toBe(0);
  });
});
