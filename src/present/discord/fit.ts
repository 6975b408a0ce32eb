/**
 * Text that fits: cutting text to a number of characters at a sentence or word boundary, and the
 * one "shrink until it fits" loop that every reply with parts of variable length goes through.
 */
import { createError } from '../../errors.js';
import { charCount } from './limits.js';

/** Each try at fitting a reply keeps this share of the room of the try before. */
export const SHRINK_FACTOR = 0.8;
/** The last try is the first one below this scale (0.8^14 ≈ 0.044): there every part is at its floor. */
export const MIN_SCALE = 0.05;
/** The fewest characters a shrunk part (a quote, a citation, a list of names) keeps, however small the scale. */
export const MIN_PART_CHARS = 40;

/** `chars` at `scale`, never below `floor`. */
export function scaled(chars: number, scale: number, floor = MIN_PART_CHARS): number {
  return Math.max(floor, Math.floor(chars * scale));
}

/**
 * The one "shrink until it fits" loop: builds at scale 1, 0.8, 0.64, … and returns the first build
 * that `problems` finds nothing wrong with. When even the smallest build does not fit, `lastResort`
 * may cut it down further; what it returns is checked too. Nothing that does not fit ever leaves
 * here: when no build fits it throws DISCORD_REPLY_TOO_LARGE with the smallest build's problems.
 */
export function shrinkToFit<T>(build: (scale: number) => T, problems: (built: T) => string[], lastResort?: (smallest: T) => T): T {
  let smallest: T;
  for (let scale = 1; ; scale *= SHRINK_FACTOR) {
    smallest = build(scale);
    if (problems(smallest).length === 0) return smallest;
    if (scale < MIN_SCALE) break;
  }
  const last = lastResort ? lastResort(smallest) : smallest;
  const left = problems(last);
  if (left.length > 0) throw createError('DISCORD_REPLY_TOO_LARGE', left.join('; '));
  return last;
}

/**
 * `text` cut to at most `max` characters: at the end of a sentence when one ends in the second
 * half of the room, otherwise at a word boundary, and marked with an ellipsis.
 */
export function trimText(text: string, max: number, ellipsis = '…'): string {
  if (charCount(text) <= max) return text;
  // Room for the kept words, a space and the ellipsis.
  const room = Math.max(0, max - charCount(ellipsis) - 1);
  const head = [...text].slice(0, room).join('');
  const sentence = lastMatchEnd(head, /[.!?][”’"')\]]*(?=\s)/g);
  if (sentence >= head.length / 2) return `${head.slice(0, sentence)} ${ellipsis}`;
  const space = head.search(/\s\S*$/);
  const cut = space >= head.length / 2 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}${ellipsis}`;
}

/** Like trimText, but keeps the end of `text` (for the words before a quote). */
export function trimTextStart(text: string, max: number, ellipsis = '…'): string {
  if (charCount(text) <= max) return text;
  const room = Math.max(0, max - charCount(ellipsis));
  const chars = [...text];
  const tail = chars.slice(chars.length - room).join('');
  const space = tail.search(/\s/);
  const cut = space >= 0 && space <= room / 2 ? tail.slice(space) : tail;
  return `${ellipsis}${cut.trimStart()}`;
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1;
  for (const match of text.matchAll(pattern)) end = (match.index ?? 0) + match[0].length;
  return end;
}
