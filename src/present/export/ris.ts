/**
 * Export as RIS, the tagged format every reference manager imports: one `TY  - NEWS` record per
 * quote, the quote in the first `N1`, its proof (`sha256:… start:… end:… path:…`) in the second.
 * A value is one line, so a quote that crosses a line break continues on the next lines, which
 * RIS readers join back to the previous tag's value.
 */
import type { ExportRecord } from './records.js';

const tag = (name: string, value: string) => `${name}  - ${value}`;

/** RIS dates: `YYYY/MM/DD/` with the parts known. */
function risDate(iso: string | null): string | null {
  const match = iso ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso) : null;
  return match ? `${match[1]}/${match[2] ?? ''}/${match[3] ?? ''}/` : null;
}

function record(r: ExportRecord): string[] {
  const { title, outlet, author, url, published } = r.source;
  const lines = [tag('TY', 'NEWS')];
  if (title) lines.push(tag('TI', title));
  if (outlet) lines.push(tag('T2', outlet));
  if (author) lines.push(tag('AU', author));
  const issued = risDate(published);
  if (issued) lines.push(tag('PY', issued.slice(0, 4)), tag('DA', issued));
  if (url) lines.push(tag('UR', url));
  const accessed = risDate(r.retrieved);
  if (accessed) lines.push(tag('Y2', accessed));
  lines.push(tag('N1', r.text.replace(/\r\n?/g, '\n')));
  lines.push(tag('N1', `sha256:${r.sha256} start:${r.start} end:${r.end} path:${r.source.path}`));
  lines.push(tag('ER', ''));
  return lines;
}

export function toRis(records: readonly ExportRecord[]): string {
  return `${records.flatMap((r) => [...record(r), '']).join('\r\n')}`;
}
