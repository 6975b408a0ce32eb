/** Fetch limits against loopback servers: private addresses, DNS rebinding, redirects, timeouts, size and type. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, type Resolver } from '../../src/ingest/address.js';
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

// Generous, so that a loaded machine never times out a fetch that should succeed; the time-out
// cases use their own short limit.
const policy: FetchPolicy = { maxBytes: 256 * 1024, timeoutMs: 3000, allowPrivate: true };
const impatient: FetchPolicy = { ...policy, timeoutMs: 400 };
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
    expect(await failure(safeFetch(`${server.base}/slow`, impatient, html))).toBe('FETCH_TIMEOUT');
    expect(await failure(safeFetch(`${server.base}/trickle`, impatient, html))).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await failure(safeFetch(`${server.base}/huge-declared`, policy, html))).toBe('FETCH_TOO_LARGE');
    expect(await failure(safeFetch(`${server.base}/huge-chunked`, policy, html))).toBe('FETCH_TOO_LARGE');
    expect(await failure(safeFetch(`${server.base}/image`, policy, html))).toBe('FETCH_UNSUPPORTED_TYPE');
    expect(await failure(safeFetch(`${server.base}/missing`, policy, html))).toBe('FETCH_FAILED');
    expect(await failure(safeFetch('file:///etc/passwd', policy, html))).toBe('URL_INVALID');
  });
});

describe('the address checked is the address connected to', () => {
  // Two loopback servers on one port: 127.0.0.1 stands in for the public host a name first
  // resolves to, 127.0.0.2 for the internal machine a rebinding DNS server answers next.
  let inside: TestServer;
  let port: number;
  beforeAll(async () => {
    port = Number(new URL(server.base).port);
    inside = await startServer({ host: '127.0.0.2', port });
    inside.routes.set('/ok', serve('text/html', '<p>internal</p>'));
    server.routes.set('/again', (_req, res) => {
      // A redirect to the same host on a fresh connection, so the name is looked up again.
      res.writeHead(302, { location: '/ok', connection: 'close' });
      res.end();
    });
  });
  afterAll(async () => inside?.close());

  const guarded: FetchPolicy = { ...policy, allowPrivate: false, refuses: (address) => address !== '127.0.0.1' };

  /** A DNS server that rebinds: the first lookup gets 127.0.0.1, every later one 127.0.0.2. */
  function rebinding(): { resolve: Resolver; lookups: string[] } {
    const lookups: string[] = [];
    const resolve: Resolver = async (host) => {
      lookups.push(host);
      return lookups.length === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
    };
    return { resolve, lookups };
  }

  it('resolves a name once, and connects to the address it checked', async () => {
    const { resolve, lookups } = rebinding();
    const insideBefore = inside.hits.length;
    const fetched = await safeFetch(`http://news.example:${port}/ok`, { ...guarded, resolve }, html);
    expect(fetched.bytes.toString()).toBe('<p>hello</p>');
    expect(lookups).toEqual(['news.example']);
    expect(inside.hits.length).toBe(insideBefore);
  });

  it('checks the second answer before a new connection uses it, and refuses it', async () => {
    const { resolve, lookups } = rebinding();
    const [outsideBefore, insideBefore] = [server.hits.length, inside.hits.length];
    expect(await failure(safeFetch(`http://news.example:${port}/again`, { ...guarded, resolve }, html))).toBe('FETCH_BLOCKED');
    expect(lookups).toEqual(['news.example', 'news.example']);
    expect(server.hits.slice(outsideBefore)).toEqual(['/again']);
    expect(inside.hits.length).toBe(insideBefore);
  });

  it('refuses a name when any of its addresses is private, before connecting to any', async () => {
    const [outsideBefore, insideBefore] = [server.hits.length, inside.hits.length];
    const closed = { ...policy, allowPrivate: false };
    const both: Resolver = async () => ['127.0.0.1', '10.20.30.40'];
    expect(await failure(safeFetch(`http://news.example:${port}/ok`, { ...guarded, resolve: both }, html))).toBe('FETCH_BLOCKED');
    const intranet: Resolver = async () => ['10.20.30.40'];
    const blocked = await safeFetch(`http://intranet.example:${port}/ok`, { ...closed, resolve: intranet }, html).catch((error: unknown) => error);
    expect(blocked).toBeInstanceOf(VerbatimError);
    expect((blocked as VerbatimError).message).toContain('10.20.30.40');
    expect(server.hits.length).toBe(outsideBefore);
    expect(inside.hits.length).toBe(insideBefore);
  });

  it('says when a name does not resolve, and pins the answer when private addresses are allowed', async () => {
    const nowhere: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const unresolved = await safeFetch(`http://gone.example:${port}/ok`, { ...guarded, resolve: nowhere }, html).catch((error: unknown) => error);
    expect((unresolved as VerbatimError).code).toBe('FETCH_FAILED');
    expect((unresolved as VerbatimError).message).toContain('did not resolve');
    const { resolve, lookups } = rebinding();
    const fetched = await safeFetch(`http://news.example:${port}/again`, { ...policy, resolve }, html);
    expect(fetched.bytes.toString()).toBe('<p>internal</p>');
    expect(lookups).toHaveLength(2);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true], ['169.254.169.254', true],
    ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true], ['2002:c0a8:0101::1', true],
    ['::7f00:1', true], ['::ffff:0:7f00:1', true], ['64:ff9b:1::a9fe:a9fe', true], ['fe80::1%eth0', true], ['2001:db8::1', true],
    ['100::1', true], ['ff02::1', true], ['198.51.100.7', true], ['192.0.0.8', true], ['not-an-address', true], ['', true],
    ['93.184.216.34', false], ['8.8.8.8', false], ['2606:4700:4700::1111', false], ['::ffff:8.8.8.8', false],
    ['64:ff9b::808:808', false], ['2002:808:808::1', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
