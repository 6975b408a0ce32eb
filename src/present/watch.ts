/** What a watch found in new documents, as a person reads it in a terminal. */
import type { WatchPost, WatchQuote } from '../answer/watch.js';
import { citation, displayText, shortName } from './text.js';

/** "[retelling of Valley Herald]", "[differing figure: 14 here, 12 in Valley Herald]", "[new claim]". */
export function watchLabel(quote: WatchQuote): string {
  if (quote.label === 'differing figure' && quote.differs?.length) {
    const d = quote.differs[0]!;
    return `differing figure (${d.about}): “${d.value.text}” here, “${d.earlier.text}” in ${shortName(d.earlier.source)}`;
  }
  if (quote.label === 'retelling' && quote.retells?.length) return `retelling of ${quote.retells.map(shortName).join('; ')}`;
  return quote.label;
}

export function renderWatchCheck(watch: { id: string; topic: string }, posts: readonly WatchPost[]): string {
  const lines = [`Watch ${watch.id} “${watch.topic}”: ${posts.length === 0 ? 'nothing new' : `${posts.length} new document${posts.length === 1 ? '' : 's'}`}`];
  for (const post of posts) {
    lines.push(`  ${citation(post.document)}`);
    for (const quote of post.quotes) lines.push(`    [${watchLabel(quote)}] “${displayText(quote.text)}” (characters ${quote.start}–${quote.end})`);
  }
  return lines.join('\n');
}
