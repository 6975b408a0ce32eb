/** Discord markdown: text shown exactly as written, and links that cannot break out of theirs. */

/** Backslash-escapes Discord markdown, so a quote shows exactly its words (and `<@&id>` stays text). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|[\]<>#:]/g, (c) => `\\${c}`);
}

/** Undoes escapeMarkdown (tests use it to compare a displayed quote with its source). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_~`|[\]<>#:])/g, '$1');
}

/** Multi-line text (a document page): escaped, with line-start markers (lists, quotes, headings) made literal. */
export function escapeLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeMarkdown(line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()).replace(/^([-+>]|\d+\.)(\s)/, '\\$1$2'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** An http(s) URL safe inside a markdown link, or undefined. */
export function safeUrl(url: string | null): string | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}
