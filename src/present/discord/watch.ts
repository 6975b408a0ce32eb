/** What a watch posts to its channel: one embed per new document, or one digest for a burst. */
import type { APIEmbed } from 'discord.js';
import type { WatchPost, WatchQuote } from '../../answer/watch.js';
import { displayText } from '../text.js';
import { discordCitation, shortName } from './citation.js';
import { COLOR_ANSWER } from './colors.js';
import { scaled, shrinkToFit, trimText } from './fit.js';
import { charCount, DISCORD_LIMITS, soleEmbedProblems } from './limits.js';
import { escapeMarkdown } from './markdown.js';

/** Quotes shown per document; the rest are counted. */
export const WATCH_QUOTES_SHOWN = 5;
/** Documents named in a digest; the rest are counted. */
const DIGEST_DOCUMENTS = 20;
/** Characters of each part at full scale; they shrink together when a message runs long. */
const QUOTE_CHARS = 600;
const LABEL_CHARS = 250;
const NAME_CHARS = 80;
const CITATION_CHARS = 250;

interface WatchRef {
  id: string;
  topic: string;
}

/** "new claim", "retelling of Valley Herald", "differing figure (cost): “9 million” here, “7 million” in Valley Herald". */
function label(quote: WatchQuote): string {
  if (quote.label === 'differing figure' && quote.differs?.length) {
    const d = quote.differs[0]!;
    return `differing figure (${escapeMarkdown(displayText(d.about))}): “${escapeMarkdown(displayText(d.value.text))}” here, “${escapeMarkdown(displayText(d.earlier.text))}” in ${shortName(d.earlier.source, NAME_CHARS)}`;
  }
  if (quote.label === 'retelling' && quote.retells?.length) return `retelling of ${quote.retells.map((s) => shortName(s, NAME_CHARS)).join('; ')}`;
  return quote.label;
}

/** "Watching “topic”: 5 new documents", the topic cut to leave room for the rest. */
function title(watch: WatchRef, suffix = ''): string {
  const room = DISCORD_LIMITS.embedTitle - charCount(`Watching “”${suffix}`);
  return `Watching “${trimText(displayText(watch.topic), room)}”${suffix}`;
}

/** One new document: its citation, then each new sentence quoted with its label. */
export function watchPostEmbed(watch: WatchRef, post: WatchPost): APIEmbed {
  const shown = post.quotes.slice(0, WATCH_QUOTES_SHOWN);
  const more = post.quotes.length - shown.length;
  const footer = { text: `Watch ${watch.id} · ${post.quotes.length} new sentence${post.quotes.length === 1 ? '' : 's'}${more > 0 ? ` (${more} not shown)` : ''} · /watch remove id:${watch.id} stops it` };
  return shrinkToFit(
    (scale) => ({
      title: title(watch),
      color: COLOR_ANSWER,
      description: [
        `New in ${discordCitation(post.document, scaled(CITATION_CHARS, scale))}`,
        ...shown.map((q) => `“${escapeMarkdown(trimText(displayText(q.text), scaled(QUOTE_CHARS, scale)))}”\n*${trimText(label(q), scaled(LABEL_CHARS, scale))}*`),
      ].join('\n\n'),
      footer,
    }),
    soleEmbedProblems,
  );
}

/** Many new documents at once: their names and how many new sentences each has, in one message. */
export function watchDigestEmbed(watch: WatchRef, posts: readonly WatchPost[]): APIEmbed {
  const sentences = posts.reduce((n, p) => n + p.quotes.length, 0);
  const lines = posts.slice(0, DIGEST_DOCUMENTS).map((p) => `• ${discordCitation(p.document, CITATION_CHARS)} — ${p.quotes.length} new sentence${p.quotes.length === 1 ? '' : 's'}`);
  if (posts.length > DIGEST_DOCUMENTS) lines.push(`…and ${posts.length - DIGEST_DOCUMENTS} more.`);
  return {
    title: title(watch, `: ${posts.length} new document${posts.length === 1 ? '' : 's'}`),
    color: COLOR_ANSWER,
    description: trimText(lines.join('\n'), DISCORD_LIMITS.embedDescription),
    footer: { text: `Watch ${watch.id} · ${sentences} new sentences in a burst of documents, summarised rather than posted one by one · /ask for the quotes` },
  };
}
