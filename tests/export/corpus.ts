/** A small dated corpus with full citations (outlet, author, URL, date), written by the tests, for export and re-check. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const DAM_ARTICLES: Record<string, { text: string; meta: Record<string, string> }> = {
  'dam-herald.txt': {
    text: [
      'Riverside dam repairs begin',
      '',
      'Workers began repairing the Riverside dam on Monday after inspectors found cracks in 12 of its concrete panels.',
      'The repairs will cost 7 million dollars, the regional water board said in a statement.',
      'Engineer Chloé Martin said the work was “overdue, but manageable”, and that the reservoir would stay open.',
      '',
    ].join('\n'),
    meta: { title: 'Riverside dam repairs begin', outlet: 'Valley Herald', author: 'Anna Berg', url: 'https://valley.example/news/dam', published: '2025-03-04' },
  },
  'dam-courier.txt': {
    text: [
      'Dam works start in Riverside',
      '',
      'Repairs on the Riverside dam started on Monday after inspectors found cracks in 12 of its concrete panels.',
      'The water board expects the work to last until the end of the summer.',
      '',
    ].join('\n'),
    meta: { title: 'Dam works start in Riverside', outlet: 'Riverside Courier', url: 'https://courier.example/dam-works', published: '2025-03-05T09:30:00Z' },
  },
  'orchard.txt': {
    text: ['Apple harvest', '', 'Orchards in the valley picked a record apple harvest this autumn, growers said.', ''].join('\n'),
    meta: { title: 'Apple harvest' },
  },
};

/** Writes the articles and their sidecars into `dir`. */
export async function writeDamCorpus(dir: string, articles = DAM_ARTICLES): Promise<void> {
  for (const [name, { text, meta }] of Object.entries(articles)) {
    await fs.writeFile(path.join(dir, name), text, 'utf8');
    await fs.writeFile(path.join(dir, name.replace(/\.txt$/, '.meta.json')), JSON.stringify(meta), 'utf8');
  }
}

/** The Herald and the Courier only, their sidecars' URLs on a test server (`<base>/herald`, `<base>/courier`). */
export async function writeServedDamCorpus(dir: string, base: string): Promise<void> {
  const served = (name: string, route: string) => {
    const article = DAM_ARTICLES[name]!;
    return { ...article, meta: { ...article.meta, url: `${base}/${route}` } };
  };
  await writeDamCorpus(dir, { 'dam-herald.txt': served('dam-herald.txt', 'herald'), 'dam-courier.txt': served('dam-courier.txt', 'courier') });
}
