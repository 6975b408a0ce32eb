/**
 * `--diagnose` for news: where each question's gold answer is, relative to what `ask` quoted, so
 * that whoever improves quote selection sees which step loses it. Counts only, never article text.
 */
import { sentencesOf } from '../../index/lookup.js';
import type { Searcher } from '../../answer/searcher.js';
import { normalizeQuestion } from '../../retrieval/question.js';
import { scoreSentences } from '../../retrieval/quotes.js';
import { retrieve, type RetrievalMode } from '../../retrieval/retrieve.js';
import type { NewsQuestion } from '../datasets.js';
import { answerPattern, goldForms, norm } from './news-match.js';
import { checkQuote, stem, type CorpusCache } from './news-score.js';
import { percent } from './report.js';

/** The nearest place the answer is, from the quotes outwards (each question counted once, at the first that applies). */
export interface NewsFunnel {
  /** In a verbatim quote (answer@5). */
  quoted: number;
  /** Not quoted, but in the sentence right before or after a quoted one. */
  besideQuote: number;
  /** In a sentence that quote selection scored (the top passages) but did not pick, or withheld under the threshold. */
  scoredNotPicked: number;
  /** Elsewhere in a document that a quote cites (in no scored sentence). */
  inCitedDocument: number;
  /** Only in a retrieved passage outside those, or across a sentence boundary. */
  retrievedOnly: number;
  /** In no retrieved passage at all. */
  notRetrieved: number;
}

export interface NewsDiagnosis {
  questions: number;
  mode: string;
  funnel: NewsFunnel;
  /** Counts that overlap (a question may be in several). */
  counts: {
    zeroQuotes: number;
    zeroQuotesAnswerScored: number;
    sentenceBefore: number;
    sentenceAfter: number;
    inCitedDocument: number;
    goldFileCited: number;
    topPassage: number;
    top5Passages: number;
    scoredPassages: number;
    anyRetrievedPassage: number;
    goldFileScored: number;
    goldFileRetrieved: number;
    crossesSentences: number;
  };
  /** Rank, among the scored sentences, of the best one that holds the answer: 1, 2–5, 6–20, later, none. */
  answerSentenceRank: { first: number; top5: number; top20: number; later: number; none: number };
  /** Passages looked inside for quotes, and retrieved in all (per retriever depth, fused). */
  scoredPassageCount: number;
  meanRetrievedPassages: number;
}

const record = (x: unknown) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {});

/**
 * Counts, over every question, where its answer lies. `answers` are the parsed `ask --json` lines,
 * in order; only quotes that pass the verbatim check against `corpusDir` count, as in answer@k.
 */
export async function diagnoseNews(
  searcher: Searcher,
  questions: readonly NewsQuestion[],
  answers: readonly Record<string, unknown>[],
  mode: RetrievalMode,
  corpusDir: string,
): Promise<NewsDiagnosis> {
  const { store, embedder, settings } = searcher;
  const data = store;
  const docIndex = new Map(data.documentNumbers().map((i) => [data.document(i).id, i]));
  const docSentences = (doc: number) => sentencesOf(data, doc);
  const sentenceText = (i: number) => {
    const s = data.sentence(i);
    return data.text(s.doc).slice(s.start, s.end);
  };
  const passageText = (p: number) => {
    const passage = data.passage(p);
    return data.text(passage.doc).slice(data.sentence(passage.first).start, data.sentence(passage.end - 1).end);
  };
  const normalDoc = new Map<number, string>();
  const docNorm = (doc: number) => normalDoc.get(doc) ?? normalDoc.set(doc, norm(data.text(doc))).get(doc)!;

  const funnel: NewsFunnel = { quoted: 0, besideQuote: 0, scoredNotPicked: 0, inCitedDocument: 0, retrievedOnly: 0, notRetrieved: 0 };
  const counts: NewsDiagnosis['counts'] = {
    zeroQuotes: 0, zeroQuotesAnswerScored: 0, sentenceBefore: 0, sentenceAfter: 0, inCitedDocument: 0, goldFileCited: 0,
    topPassage: 0, top5Passages: 0, scoredPassages: 0, anyRetrievedPassage: 0, goldFileScored: 0, goldFileRetrieved: 0, crossesSentences: 0,
  };
  const rank = { first: 0, top5: 0, top20: 0, later: 0, none: 0 };
  let retrievedTotal = 0;
  const cache: CorpusCache = new Map();

  for (const [i, q] of questions.entries()) {
    const patterns = goldForms(q.answers).filter((a) => norm(a) !== '').map(answerPattern);
    const holds = (text: string) => {
      const t = norm(text);
      return patterns.some((p) => p.test(t));
    };
    const gold = new Set(q.goldFiles);
    const quotes = (Array.isArray(answers[i]?.quotes) ? (answers[i]!.quotes as unknown[]) : []).map(record);
    const verbatim = quotes.filter((quote) => checkQuote(quote, corpusDir, cache) === null);
    const quoted = holds(verbatim.map((quote) => quote.text as string).join('\n'));

    // Sentences beside each quote, and the documents quotes cite.
    let before = false;
    let after = false;
    const cited = new Set<number>();
    for (const quote of verbatim) {
      const doc = docIndex.get(String(record(quote.source).id));
      if (doc === undefined) continue;
      cited.add(doc);
      const sentences = docSentences(doc);
      const previous = sentences.filter((s) => data.sentence(s).end <= (quote.start as number)).at(-1);
      const next = sentences.find((s) => data.sentence(s).start >= (quote.end as number));
      if (previous !== undefined && holds(sentenceText(previous))) before = true;
      if (next !== undefined && holds(sentenceText(next))) after = true;
    }
    const patternsIn = (doc: number) => patterns.some((p) => p.test(docNorm(doc)));
    const inCited = [...cited].some(patternsIn);

    // What retrieval and quote selection saw.
    const question = normalizeQuestion(q.question);
    const vector = await embedder.embedQuery(question);
    const candidates = await retrieve(store, question, vector, mode, settings.retrieval);
    const scoredPassages = candidates.slice(0, settings.selection.passages);
    const scored = scoreSentences(data, question, vector, candidates, settings.selection);
    const answerRank = scored.findIndex((s) => holds(sentenceText(s.sentence)));
    const inPassages = (list: readonly { passage: number }[]) => list.some((c) => holds(passageText(c.passage)));
    const goldAmong = (list: readonly { passage: number }[]) => list.some((c) => gold.has(data.document(data.passage(c.passage).doc).id));
    const anyRetrieved = inPassages(candidates);
    retrievedTotal += candidates.length;

    if (quoted) funnel.quoted += 1;
    else if (before || after) funnel.besideQuote += 1;
    else if (answerRank >= 0) funnel.scoredNotPicked += 1;
    else if (inCited) funnel.inCitedDocument += 1;
    else if (anyRetrieved) funnel.retrievedOnly += 1;
    else funnel.notRetrieved += 1;

    if (quotes.length === 0) counts.zeroQuotes += 1;
    if (quotes.length === 0 && answerRank >= 0) counts.zeroQuotesAnswerScored += 1;
    if (before) counts.sentenceBefore += 1;
    if (after) counts.sentenceAfter += 1;
    if (inCited) counts.inCitedDocument += 1;
    if (quotes.some((quote) => gold.has(stem(quote)))) counts.goldFileCited += 1;
    if (inPassages(candidates.slice(0, 1))) counts.topPassage += 1;
    if (inPassages(candidates.slice(0, 5))) counts.top5Passages += 1;
    if (inPassages(scoredPassages)) counts.scoredPassages += 1;
    if (anyRetrieved) counts.anyRetrievedPassage += 1;
    if (goldAmong(scoredPassages)) counts.goldFileScored += 1;
    if (goldAmong(candidates)) counts.goldFileRetrieved += 1;
    if (inPassages(scoredPassages) && answerRank < 0) counts.crossesSentences += 1;
    if (answerRank < 0) rank.none += 1;
    else if (answerRank === 0) rank.first += 1;
    else if (answerRank < 5) rank.top5 += 1;
    else if (answerRank < 20) rank.top20 += 1;
    else rank.later += 1;
  }
  return {
    questions: questions.length,
    mode,
    funnel,
    counts,
    answerSentenceRank: rank,
    scoredPassageCount: settings.selection.passages,
    meanRetrievedPassages: Math.round((retrievedTotal / Math.max(1, questions.length)) * 10) / 10,
  };
}

/** The diagnosis as a few aligned lines of counts and shares. */
export function diagnosisLines(d: NewsDiagnosis): string[] {
  const n = Math.max(1, d.questions);
  const item = (label: string, count: number) => `    ${label.padEnd(64)}${String(count).padStart(4)}  ${percent(count / n).padStart(7)}`;
  const f = d.funnel;
  const c = d.counts;
  const r = d.answerSentenceRank;
  return [
    `News diagnosis (${d.mode}, ${d.questions} questions): where the gold answer is`,
    '  nearest place it is found (each question once):',
    item('in a verbatim quote (answer@5)', f.quoted),
    item('beside a quote (the sentence before or after)', f.besideQuote),
    item(`in a sentence scored for quotes (top ${d.scoredPassageCount} passages), not picked`, f.scoredNotPicked),
    item('elsewhere in a cited document', f.inCitedDocument),
    item('only in another retrieved passage or across sentences', f.retrievedOnly),
    item(`in no retrieved passage (~${d.meanRetrievedPassages} fused per question)`, f.notRetrieved),
    '  overlapping counts:',
    item('answers with no quotes', c.zeroQuotes),
    item('  of which the answer was in a scored sentence', c.zeroQuotesAnswerScored),
    item('answer in the sentence right before a quote', c.sentenceBefore),
    item('answer in the sentence right after a quote', c.sentenceAfter),
    item('answer anywhere in a cited document', c.inCitedDocument),
    item('a gold file cited', c.goldFileCited),
    item('answer in the top retrieved passage', c.topPassage),
    item('answer in the top 5 retrieved passages', c.top5Passages),
    item(`answer in the ${d.scoredPassageCount} passages scored for quotes`, c.scoredPassages),
    item('answer in any retrieved passage', c.anyRetrievedPassage),
    item('answer in scored passages but in no single sentence', c.crossesSentences),
    item('a gold file among the passages scored for quotes', c.goldFileScored),
    item('a gold file among all retrieved passages', c.goldFileRetrieved),
    `  rank of the best-scored sentence holding the answer: 1st ${r.first}, 2-5 ${r.top5}, 6-20 ${r.top20}, later ${r.later}, none ${r.none}`,
  ];
}
