/**
 * Fetching with limits: Node's fetch with redirects followed by hand (at most `maxRedirects`, each
 * hop's host checked again), one timeout for the whole exchange, a byte limit enforced while
 * reading (and from Content-Length up front), and a content-type check.
 *
 * The host check resolves the name before the request; fetch then resolves it again, so a DNS
 * server that answers differently the second time (rebinding) is not excluded by this alone.
 */
import { createError, VerbatimError, withCause } from '../errors.js';
import { checkHost } from './address.js';

export interface FetchPolicy {
  maxBytes: number;
  timeoutMs: number;
  allowPrivate: boolean;
  maxRedirects?: number;
}

export interface Fetched {
  /** The URL after redirects. */
  url: string;
  contentType: string;
  bytes: Buffer;
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
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  const maxRedirects = policy.maxRedirects ?? MAX_REDIRECTS;
  try {
    for (let hop = 0; ; hop++) {
      await checkHost(url, policy.allowPrivate);
      const response = await fetch(url, { redirect: 'manual', signal: controller.signal, headers: { accept, 'user-agent': USER_AGENT } });
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
        throw createError('FETCH_FAILED', url.href, `HTTP ${response.status}`);
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
    throw withCause(createError('FETCH_FAILED', url.href, cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))), error);
  } finally {
    clearTimeout(timer);
  }
}
