import type { IndexView } from './store.js';

/** The sentences of a document as a `[first, end)` range of sentence numbers. */
export function sentenceRange(view: IndexView, doc: number): [number, number] {
  return view.sentenceRange(doc);
}

/** Numbers of a document's sentences. */
export function sentencesOf(view: IndexView, doc: number): number[] {
  const [first, end] = view.sentenceRange(doc);
  return Array.from({ length: end - first }, (_, i) => first + i);
}

/** A sentence's text: the exact slice of its document. */
export function sentenceText(view: IndexView, sentence: number): string {
  const s = view.sentence(sentence);
  return view.text(s.doc).slice(s.start, s.end);
}

/** The text of a passage as the lexical index sees it: its sentences, without skipped boilerplate. */
export function passageText(view: IndexView, passage: number): string {
  const p = view.passage(passage);
  const text = view.text(p.doc);
  const parts: string[] = [];
  for (let s = p.first; s < p.end; s += 1) {
    const sentence = view.sentence(s);
    parts.push(text.slice(sentence.start, sentence.end));
  }
  return parts.join(' ');
}
