import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors, type ApiResponse } from './errors.js';
import { randomToken } from './ids.js';

const API_PREFIX = '/api/v10';

export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

/** A REST request as the server received it. */
export interface IncomingCall {
  method: string;
  /** Decoded path without `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart: the parsed `payload_json`); undefined when empty. */
  body: unknown;
  files: RecordedFile[];
  /** Request headers (lower-case), without `authorization`. */
  headers: Record<string, string>;
  time: number;
}

/** A REST request plus what the server answered. */
export interface RecordedCall extends IncomingCall {
  status: number;
  response: unknown;
}

/** A predicate, or a shorthand on method and path (a string must equal the path, a RegExp must match it). */
export type CallMatcher<T extends IncomingCall = RecordedCall> =
  | ((call: T) => boolean)
  | { method?: string; path?: string | RegExp };

export function matches<T extends IncomingCall>(matcher: CallMatcher<T>, call: T): boolean {
  if (typeof matcher === 'function') return matcher(call);
  if (matcher.method && matcher.method.toUpperCase() !== call.method) return false;
  if (typeof matcher.path === 'string') return matcher.path === call.path;
  if (matcher.path instanceof RegExp) return matcher.path.test(call.path);
  return true;
}

export interface RouteRequest extends IncomingCall {
  /** A `:name` segment of the route pattern. */
  param(name: string): string;
}

export type RouteHandler = (request: RouteRequest) => ApiResponse | Promise<ApiResponse>;

interface Route {
  method: string;
  segments: string[];
  /** Interaction callbacks and webhook-token routes are called without the bot token, as on Discord. */
  auth: boolean;
  handler: RouteHandler;
}

/** Matches decoded paths against `/a/:b/c` patterns; literal segments win over parameters by registration order. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler, options: { auth?: boolean } = {}): void {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), auth: options.auth ?? true, handler });
  }

  find(method: string, path: string): { route: Route; params: Map<string, string> } | 'wrong-method' | undefined {
    const parts = path.split('/').filter(Boolean);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathKnown = true;
    }
    return pathKnown ? 'wrong-method' : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Map<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params = new Map<string, string>();
  for (const [i, segment] of pattern.entries()) {
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) params.set(segment.slice(1), part);
    else if (segment !== part) return undefined;
  }
  return params;
}

interface PendingRateLimit {
  matcher: CallMatcher<IncomingCall>;
  retryAfterSeconds: number;
}

interface Waiter {
  matcher: CallMatcher;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
}

/** The REST half of the fake: parses, authenticates, routes and records every request. */
export class RestApi {
  readonly calls: RecordedCall[] = [];
  private readonly pendingRateLimits: PendingRateLimit[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly router: Router,
    private readonly botToken: string,
  ) {}

  /** The next request matching `matcher` gets a 429 (user scope) telling the client to wait `retryAfterSeconds`. */
  rateLimitNext(matcher: CallMatcher<IncomingCall>, retryAfterSeconds: number): void {
    this.pendingRateLimits.push({ matcher, retryAfterSeconds });
  }

  /** Resolves with the first recorded call (already recorded or future) that matches. */
  waitForCall(matcher: CallMatcher, timeoutMs = 2000): Promise<RecordedCall> {
    const already = this.calls.find((call) => matches(matcher, call));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        matcher,
        resolve: (call) => (settle(), resolve(call)),
        reject: (error) => (settle(), reject(error)),
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.map((call) => `${call.method} ${call.path} -> ${call.status}`).join('\n  ');
        reject(new Error(`No matching REST call within ${timeoutMs} ms. Calls so far:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Fails pending waits so nothing keeps the test process alive after close. */
  dispose(): void {
    for (const waiter of [...this.waiters]) waiter.reject(new Error('Fake Discord server closed'));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let call: IncomingCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: decodePath(url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      headers: headersOf(req),
      time: Date.now(),
    };
    let response: ApiResponse;
    try {
      const parsed = await parseBody(req.headers['content-type'] ?? '', raw);
      call = { ...call, ...parsed };
      response = url.pathname.startsWith(`${API_PREFIX}/`)
        ? await this.respond(call, req.headers.authorization)
        : errors.notFound().toResponse();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = error.toResponse();
    }
    this.record({ ...call, status: response.status, response: response.body });
    send(res, response);
  }

  private async respond(call: IncomingCall, authorization: string | undefined): Promise<ApiResponse> {
    const limited = this.takeRateLimit(call);
    if (limited) return limited;
    const found = this.router.find(call.method, call.path);
    if (found === undefined) throw errors.notFound();
    if (found === 'wrong-method') throw errors.methodNotAllowed();
    if (found.route.auth && authorization !== `Bot ${this.botToken}`) throw errors.unauthorized();
    const { params } = found;
    const request: RouteRequest = {
      ...call,
      param(name) {
        const value = params.get(name);
        if (value === undefined) throw new Error(`Route has no :${name} parameter`);
        return value;
      },
    };
    return found.route.handler(request);
  }

  private takeRateLimit(call: IncomingCall): ApiResponse | undefined {
    const index = this.pendingRateLimits.findIndex((pending) => matches(pending.matcher, call));
    if (index === -1) return undefined;
    const [pending] = this.pendingRateLimits.splice(index, 1);
    const retryAfter = pending?.retryAfterSeconds ?? 1;
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': randomToken(8),
        'x-ratelimit-scope': 'user',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    };
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (matches(waiter.matcher, call)) waiter.resolve(call);
    }
  }
}

/** discord.js requests e.g. `messages/%40original`; route on the decoded form. */
function decodePath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON bodies, and the multipart form discord.js sends when files are attached (`payload_json` + `files[n]`). */
async function parseBody(contentType: string, raw: Buffer): Promise<Pick<IncomingCall, 'body' | 'files'>> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = parseJson(value);
      } else {
        files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
}

function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  headers['content-type'] = 'application/json';
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}
