/** "Still there?": what the live pages say now about one page of an answer's quotes, one embed. */
import type { APIEmbed } from 'discord.js';
import { displayText } from '../text.js';
import { checkDetail, STATUS_LABELS, type CheckedQuote } from '../verify.js';
import { COLOR_CONTEXT } from './colors.js';
import { trimText } from './fit.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeMarkdown } from './markdown.js';

const MARKS: Record<CheckedQuote['status'], string> = { present: '✅', changed: '✏️', gone: '❌', unreachable: '⚠️' };
/** Characters of each quote and of what was found instead; five quotes stay well inside an embed. */
const QUOTE_CHARS = 200;
const DETAIL_CHARS = 450;

export function verifyEmbed(quotes: readonly CheckedQuote[], firstNumber: number): APIEmbed {
  const blocks = quotes.map((quote, i) => {
    const lines = [`**${firstNumber + i}.** ${MARKS[quote.status]} **${STATUS_LABELS[quote.status]}**: “${escapeMarkdown(trimText(displayText(quote.text), QUOTE_CHARS))}”`];
    const detail = checkDetail(quote, DETAIL_CHARS / 2);
    if (detail) lines.push(escapeMarkdown(trimText(detail, DETAIL_CHARS)));
    return lines.join('\n');
  });
  const counts = Object.entries(STATUS_LABELS)
    .map(([status, label]) => [label, quotes.filter((q) => q.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
  return {
    title: 'Still there? The quotes against the live pages',
    description: trimText(blocks.join('\n\n') || 'No quotes to check.', DISCORD_LIMITS.embedDescription),
    color: COLOR_CONTEXT,
    footer: { text: `${counts.join(' · ')} · the stored articles stay as they were quoted` },
  };
}
