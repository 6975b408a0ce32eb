/**
 * Fetching with limits: undici's fetch with redirects followed by hand (at most `maxRedirects`,
 * each hop's host checked again), one timeout for the whole exchange, a byte limit enforced while
 * reading (and from Content-Length up front), and a content-type check.
 *
 * The address check happens where the connection is made: each fetch has its own undici Agent
 * whose `connect.lookup` resolves the host once, refuses it when any address is private, and
 * connects to exactly the addresses it checked (`pinnedLookup`). No second resolution follows
 * the check, so a DNS server that answers differently the second time (rebinding) gains nothing.
 */
import { isIP } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { createError, VerbatimError, withCause } from '../errors.js';
import { isPrivateAddress, pinnedLookup, systemResolver, type Resolver } from './address.js';

export interface FetchPolicy {
  maxBytes: number;
  timeoutMs: number;
  allowPrivate: boolean;
  maxRedirects?: number;
  /** How host names are resolved; the system's resolver unless a test injects one. */
  resolve?: Resolver;
  /**
   * Which addresses are refused when `allowPrivate` is false; `isPrivateAddress` unless a test
   * lets a loopback address stand in for a public one.
   */
  refuses?: (address: string) => boolean;
}

export interface Fetched {
  /** The URL after redirects. */
  url: string;
  contentType: string;
  bytes: Buffer;
}

/** The cause of a FETCH_FAILED for an HTTP error status, so callers can tell 404 from 503. */
export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

export const MAX_REDIRECTS = 5;
const USER_AGENT = 'verbatim/0.1 (news coverage indexer)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw createError('URL_INVALID', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw createError('URL_INVALID', raw);
  return url;
}

async function readLimited(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw createError('FETCH_TOO_LARGE', url, maxBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** GETs `rawUrl` within the policy; `accepts` decides on the content type (lower-case, without parameters). */
export async function safeFetch(rawUrl: string, policy: FetchPolicy, accepts: (contentType: string) => boolean, accept = '*/*'): Promise<Fetched> {
  let url = parseHttpUrl(rawUrl);
  const refuses = policy.allowPrivate ? () => false : (policy.refuses ?? isPrivateAddress);
  // Runs inside the connection's lookup, for the hop being fetched: one bad address is enough,
  // since the connection could use any of them.
  const check = (host: string, addresses: readonly string[]) => {
    if (addresses.length === 0) throw createError('FETCH_FAILED', url.href, `the host name ${host} did not resolve`);
    const refused = addresses.find(refuses);
    if (refused) throw createError('FETCH_BLOCKED', url.href, refused);
  };
  const agent = new Agent({ connect: { lookup: pinnedLookup(policy.resolve ?? systemResolver, check) } });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  const maxRedirects = policy.maxRedirects ?? MAX_REDIRECTS;
  try {
    for (let hop = 0; ; hop++) {
      // An IP literal is connected to without a lookup, so it is checked here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(literal) !== 0) check(literal, [literal]);
      const response = await fetch(url, { dispatcher: agent, redirect: 'manual', signal: controller.signal, headers: { accept, 'user-agent': USER_AGENT } });
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (!location) throw createError('FETCH_FAILED', url.href, `HTTP ${response.status} without a Location`);
        if (hop >= maxRedirects) throw createError('FETCH_TOO_MANY_REDIRECTS', rawUrl, maxRedirects);
        url = parseHttpUrl(new URL(location, url).href);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw withCause(createError('FETCH_FAILED', url.href, `HTTP ${response.status}`), new HttpStatusError(response.status));
      }
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!accepts(contentType)) {
        await response.body?.cancel().catch(() => undefined);
        throw createError('FETCH_UNSUPPORTED_TYPE', url.href, contentType || 'none');
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > policy.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw createError('FETCH_TOO_LARGE', url.href, policy.maxBytes);
      }
      return { url: url.href, contentType, bytes: await readLimited(response, url.href, policy.maxBytes) };
    }
  } catch (error) {
    if (controller.signal.aborted) throw withCause(createError('FETCH_TIMEOUT', rawUrl, policy.timeoutMs), error);
    if (error instanceof VerbatimError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause instanceof VerbatimError) throw cause; // refused or unresolved by the connection's lookup
    throw withCause(createError('FETCH_FAILED', url.href, cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))), error);
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => undefined);
  }
}
