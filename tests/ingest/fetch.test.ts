/** Fetch limits against loopback servers: private addresses, redirects, timeouts, size and type. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/ingest/address.js';
import { safeFetch, type FetchPolicy } from '../../src/ingest/fetch.js';
import { VerbatimError } from '../../src/errors.js';
import { serve, startServer, type TestServer } from './fixtures.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.routes.set('/ok', serve('text/html; charset=utf-8', '<p>hello</p>'));
  server.routes.set('/loop', (_req, res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  });
  server.routes.set('/hop', (req, res) => {
    const n = Number(new URL(req.url!, server.base).searchParams.get('n') ?? 0);
    res.writeHead(301, { location: n >= 4 ? '/ok' : `/hop?n=${n + 1}` });
    res.end();
  });
  server.routes.set('/slow', (_req, res) => {
    const timer = setTimeout(() => res.end('<p>late</p>'), 5000);
    res.on('close', () => clearTimeout(timer));
  });
  server.routes.set('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<p>');
    const timer = setInterval(() => res.write('.'), 100);
    res.on('close', () => clearInterval(timer));
  });
  server.routes.set('/huge-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
    res.end();
  });
  server.routes.set('/huge-chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    for (let i = 0; i < 64; i++) res.write('x'.repeat(16 * 1024));
    res.end();
  });
  server.routes.set('/image', serve('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])));
});
afterAll(async () => server?.close());

const policy: FetchPolicy = { maxBytes: 256 * 1024, timeoutMs: 400, allowPrivate: true };
const html = (type: string) => type === 'text/html';

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VerbatimError);
    return (error as VerbatimError).code;
  }
  throw new Error('expected a failure');
}

describe('safeFetch', () => {
  it('fetches within the limits, following up to five redirects', async () => {
    const fetched = await safeFetch(`${server.base}/hop`, policy, html);
    expect(fetched).toMatchObject({ url: `${server.base}/ok`, contentType: 'text/html' });
    expect(fetched.bytes.toString()).toBe('<p>hello</p>');
  });

  it('refuses loopback and private addresses unless the operator allows them', async () => {
    const closed = { ...policy, allowPrivate: false };
    expect(await failure(safeFetch(`${server.base}/ok`, closed, html))).toBe('FETCH_BLOCKED');
    const port = new URL(server.base).port;
    expect(await failure(safeFetch(`http://localhost:${port}/ok`, closed, html))).toBe('FETCH_BLOCKED');
    expect(await failure(safeFetch(`http://[::ffff:127.0.0.1]:${port}/ok`, closed, html))).toBe('FETCH_BLOCKED');
    const before = server.hits.length;
    expect(await failure(safeFetch('http://169.254.169.254/latest/meta-data/', closed, html))).toBe('FETCH_BLOCKED');
    expect(server.hits.length).toBe(before);
  });

  it('stops a redirect loop, a slow response, an oversized body and the wrong content type', async () => {
    const hitsBefore = server.hits.filter((h) => h === '/loop').length;
    expect(await failure(safeFetch(`${server.base}/loop`, policy, html))).toBe('FETCH_TOO_MANY_REDIRECTS');
    expect(server.hits.filter((h) => h === '/loop').length - hitsBefore).toBe(6);
    const started = Date.now();
    expect(await failure(safeFetch(`${server.base}/slow`, policy, html))).toBe('FETCH_TIMEOUT');
    expect(await failure(safeFetch(`${server.base}/trickle`, policy, html))).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await failure(safeFetch(`${server.base}/huge-declared`, policy, html))).toBe('FETCH_TOO_LARGE');
    expect(await failure(safeFetch(`${server.base}/huge-chunked`, policy, html))).toBe('FETCH_TOO_LARGE');
    expect(await failure(safeFetch(`${server.base}/image`, policy, html))).toBe('FETCH_UNSUPPORTED_TYPE');
    expect(await failure(safeFetch(`${server.base}/missing`, policy, html))).toBe('FETCH_FAILED');
    expect(await failure(safeFetch('file:///etc/passwd', policy, html))).toBe('URL_INVALID');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true], ['169.254.169.254', true],
    ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true], ['2002:c0a8:0101::1', true],
    ['93.184.216.34', false], ['8.8.8.8', false], ['2606:4700:4700::1111', false], ['::ffff:8.8.8.8', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
