/** Articles, feeds and a PDF made in the test, and a loopback HTTP server that serves them. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BRIDGE_PARAGRAPHS = [
  'The city council voted on Tuesday to close the Harbour Bridge for eleven weeks of repairs starting in March.',
  'Engineers found corrosion in 42 of the steel cables that hold the deck, according to a report published by the transport department.',
  'The repairs will cost 18 million euros, paid from the regional infrastructure fund.',
  'Ferries will run every ten minutes during the closure, the harbour authority said.',
];

/** A news page with furniture around the article, and its metadata in meta tags, OpenGraph and JSON-LD. */
export function articleHtml(options: { jsonLd?: boolean; openGraph?: boolean; meta?: boolean; paragraphs?: string[]; title?: string } = {}): string {
  const { jsonLd = true, openGraph = true, meta = true, paragraphs = BRIDGE_PARAGRAPHS, title = 'Harbour Bridge to close for repairs' } = options;
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', name: 'Harbour Times Online' },
      {
        '@type': 'NewsArticle',
        headline: title,
        author: [{ '@type': 'Person', name: 'Maria Lopez' }],
        publisher: { '@type': 'Organization', name: 'The Harbour Times' },
        datePublished: '2025-02-11T08:30:00Z',
        mainEntityOfPage: 'https://news.example/harbour/bridge-repairs',
      },
    ],
  };
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>${title} | Harbour Times</title>
${meta ? '<meta name="author" content="By Maria Lopez"><meta name="date" content="2025-02-10">' : ''}
${openGraph ? `<meta property="og:title" content="${title} (OG)"><meta property="og:site_name" content="Harbour Times OG"><meta property="og:url" content="https://news.example/og/bridge"><meta property="article:published_time" content="2025-02-09T10:00:00Z">` : ''}
${meta ? '<link rel="canonical" href="https://news.example/harbour/bridge-repairs">' : ''}
${jsonLd ? `<script type="application/ld+json">${JSON.stringify(ld)}</script>` : ''}
<script>window.analytics = { track: function () {} };</script>
<style>.nav { color: red }</style>
</head><body>
<nav class="nav"><ul>${Array.from({ length: 12 }, (_, i) => `<li><a href="/section/${i}">Section ${i}</a></li>`).join('')}</ul></nav>
<div class="sidebar"><h3>Most read</h3>${Array.from({ length: 6 }, (_, i) => `<p><a href="/other/${i}">Unrelated headline number ${i}</a></p>`).join('')}</div>
<article>
<h1>${title}</h1>
<p class="byline">By Maria Lopez</p>
${paragraphs.map((p) => `<p>${p.replace('42', '<strong>42</strong>')}</p>`).join('\n')}
</article>
<footer><p>&copy; 2025 Harbour Times. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>
</body></html>`;
}

/** A small but real PDF: Helvetica text, one content stream per page, a correct xref table. */
export function makePdf(pages: string[][], info: { title?: string; author?: string; date?: string } = {}): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  for (const lines of pages) {
    const escaped = lines.map((line) => `(${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj T*`).join(' ');
    const stream = `BT /F1 11 Tf 72 720 Td 14 TL ${escaped} ET`;
    add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`);
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const infoFields = [
    info.title ? `/Title (${info.title})` : '',
    info.author ? `/Author (${info.author})` : '',
    info.date ? `/CreationDate (${info.date})` : '',
  ].join(' ');
  add(`<< ${infoFields} >>`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export const REPORT_PAGES = [
  ['The regional water board approved a new reservoir near Millbrook on Monday.', 'The reservoir will hold 3 billion litres of water when it is full.'],
  ['Construction is expected to begin in the autumn and take four years.', 'The board said the project would create 200 local jobs.'],
];

export function rssFeed(base: string, items: { title: string; path: string; guid?: string; date: string; content?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Times: Local</title><link>${base}/</link><description>Local news</description>
${items
  .map(
    (item) => `<item><title>${item.title}</title><link>${base}${item.path}</link><guid isPermaLink="false">${item.guid ?? item.path}</guid><pubDate>${item.date}</pubDate>${item.content ? `<content:encoded><![CDATA[${item.content}]]></content:encoded>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export function atomFeed(base: string, entries: { title: string; path: string; id: string; updated: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Valley Gazette</title><id>urn:valley</id><updated>2025-03-01T00:00:00Z</updated>
${entries
  .map((e) => `<entry><title>${e.title}</title><link rel="alternate" type="text/html" href="${base}${e.path}"/><link rel="self" href="${base}/self${e.path}"/><id>${e.id}</id><updated>${e.updated}</updated><summary>Short summary.</summary></entry>`)
  .join('\n')}
</feed>`;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  base: string;
  routes: Map<string, Route>;
  hits: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server whose routes the test sets (on 127.0.0.1 and a free port unless told). */
export async function startServer(listen: { host?: string; port?: number } = {}): Promise<TestServer> {
  const { host = '127.0.0.1', port = 0 } = listen;
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes.get((req.url ?? '').split('?')[0]!);
    if (route) route(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    base,
    routes,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const serve = (type: string, body: string | Buffer): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
};
