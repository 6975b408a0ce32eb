import type { IncomingMessage, Server } from 'node:http';
import { GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { randomToken, shardOfGuild } from './ids.js';
import { shapeForIntents } from './intents.js';

interface Frame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** A shard as IDENTIFY names it: [id, count]. */
export type ShardPair = [number, number];

interface Session {
  id: string;
  intents: number;
  shard: ShardPair;
  seq: number;
  /** Undefined while the client is away (e.g. between op 7 and its RESUME). */
  socket: WebSocket | undefined;
  /** Sent dispatches, replayed on RESUME. */
  backlog: Frame[];
  onReconnected: Array<() => void>;
}

export interface GatewayOptions {
  token: string;
  botUserId: string;
  heartbeatIntervalMs: number;
  /** READY data for a new session of a shard and the dispatches that follow it (GUILD_CREATE of its guilds). */
  onIdentify: (sessionId: string, shard: ShardPair) => { ready: unknown; then: Array<{ t: string; d: unknown }> };
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
}

const BACKLOG_LIMIT = 1000;
// Close codes Discord uses; discord.js maps each to a recovery strategy.
const CLOSE = {
  unknownOpcode: [4001, 'Unknown opcode.'],
  decodeError: [4002, 'Error while decoding payload.'],
  notAuthenticated: [4003, 'Not authenticated.'],
  authenticationFailed: [4004, 'Authentication failed.'],
  alreadyAuthenticated: [4005, 'Already authenticated.'],
  invalidShard: [4010, 'Invalid shard.'],
  invalidVersion: [4012, 'Invalid API version.'],
  invalidIntents: [4013, 'Invalid intent(s).'],
} as const;

/**
 * Whether a shard receives an event: a guild's events go to shard (guild_id >> 22) % count, as on
 * Discord; events of no guild (direct messages) go to shard 0.
 */
export function servesGuild(shard: ShardPair, guildId: string | undefined): boolean {
  return guildId === undefined ? shard[0] === 0 : shardOfGuild(guildId, shard[1]) === shard[0];
}

/** The guild an event belongs to: GUILD_CREATE names it by `id`, the others by `guild_id`. */
function guildOfEvent(t: string, d: unknown): string | undefined {
  const data = (d ?? {}) as { id?: unknown; guild_id?: unknown };
  const id = t.startsWith('GUILD_') && !('guild_id' in data) ? data.id : data.guild_id;
  return typeof id === 'string' ? id : undefined;
}

/** IDENTIFY's `shard`, when it is a valid [id, count] (absent means [0, 1]). */
function shardOf(value: unknown): ShardPair | undefined {
  if (value === undefined) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2 || !value.every(Number.isInteger)) return undefined;
  const [id, count] = value as number[];
  return count! >= 1 && id! >= 0 && id! < count! ? [id!, count!] : undefined;
}

/**
 * Gateway v10 over JSON text frames: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, op 7
 * on demand; a session per shard, each sent only its shard's guilds and their events.
 */
export class Gateway {
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0 };
  private readonly sessions = new Map<string, Session>();
  private readonly wss: WebSocketServer;

  constructor(server: Server, private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req));
  }

  hasSessions(): boolean {
    return this.sessions.size > 0;
  }

  /** Sends a dispatch to every session of the shard it belongs to (queued for replay if a session is reconnecting). */
  dispatch(t: string, d: unknown): void {
    const guildId = guildOfEvent(t, d);
    for (const session of this.sessions.values()) if (servesGuild(session.shard, guildId)) this.sendDispatch(session, t, d);
  }

  /** The shards of the sessions open now, as [id, count]. */
  get shards(): ShardPair[] {
    return [...this.sessions.values()].map((session) => session.shard);
  }

  /** Sends op 7 to connected sessions; resolves once each has resumed or identified again. */
  requestReconnect(timeoutMs: number): Promise<void> {
    const connected = [...this.sessions.values()].filter((session) => session.socket?.readyState === WebSocket.OPEN);
    const reconnected = connected.map(
      (session) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`Session ${session.id} did not reconnect within ${timeoutMs} ms`)), timeoutMs);
          session.onReconnected.push(() => {
            clearTimeout(timer);
            resolve();
          });
          send(session.socket, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
        }),
    );
    return Promise.all(reconnected).then(() => undefined);
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    this.stats.connections++;
    const query = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams;
    if (query.get('v') !== '10') return closeWith(socket, CLOSE.invalidVersion);
    if ((query.get('encoding') ?? 'json') !== 'json') return closeWith(socket, CLOSE.decodeError);

    let session: Session | undefined;
    send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['fake-gateway'] }, s: null, t: null });

    socket.on('message', (data: RawData, isBinary: boolean) => {
      const frame = isBinary ? undefined : parseFrame(data);
      if (!frame) return closeWith(socket, CLOSE.decodeError);
      switch (frame.op) {
        case GatewayOpcodes.Heartbeat:
          return send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        case GatewayOpcodes.Identify:
          if (session) return closeWith(socket, CLOSE.alreadyAuthenticated);
          session = this.identify(socket, frame.d);
          return;
        case GatewayOpcodes.Resume:
          if (session) return closeWith(socket, CLOSE.alreadyAuthenticated);
          session = this.resume(socket, frame.d);
          return;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          if (!session) return closeWith(socket, CLOSE.notAuthenticated);
          return;
        default:
          return closeWith(socket, CLOSE.unknownOpcode);
      }
    });

    socket.on('close', (code) => {
      if (!session || session.socket !== socket) return;
      session.socket = undefined;
      // A normal close ends the session on Discord; anything else (e.g. 4200 after op 7) leaves it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
  }

  private identify(socket: WebSocket, d: unknown): Session | undefined {
    const payload = (d ?? {}) as { token?: unknown; intents?: unknown; shard?: unknown };
    if (payload.token !== this.options.token) return void closeWith(socket, CLOSE.authenticationFailed);
    if (typeof payload.intents !== 'number') return void closeWith(socket, CLOSE.invalidIntents);
    const shard = shardOf(payload.shard);
    if (!shard) return void closeWith(socket, CLOSE.invalidShard);

    const session: Session = { id: randomToken(16), intents: payload.intents, shard, seq: 0, socket, backlog: [], onReconnected: [] };
    this.sessions.set(session.id, session);
    this.stats.identifies++;
    // A client that re-identifies after op 7 instead of resuming has reconnected too.
    for (const old of this.sessions.values()) {
      if (old !== session && old.socket === undefined) settle(old);
    }
    const { ready, then } = this.options.onIdentify(session.id, shard);
    this.sendDispatch(session, 'READY', ready, true);
    for (const event of then) this.sendDispatch(session, event.t, event.d, true);
    return session;
  }

  private resume(socket: WebSocket, d: unknown): Session | undefined {
    const payload = (d ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    if (payload.token !== this.options.token) return void closeWith(socket, CLOSE.authenticationFailed);
    const session = typeof payload.session_id === 'string' ? this.sessions.get(payload.session_id) : undefined;
    const seq = typeof payload.seq === 'number' ? payload.seq : 0;
    if (!session || seq > session.seq) {
      // Op 9 with d=false: not resumable, the client must identify from scratch.
      send(socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return undefined;
    }
    if (session.socket && session.socket !== socket) session.socket.close(4009, 'Session timed out.');
    session.socket = socket;
    for (const frame of session.backlog) if ((frame.s ?? 0) > seq) send(socket, frame);
    this.sendDispatch(session, 'RESUMED', { _trace: ['fake-gateway'] }, true);
    this.stats.resumes++;
    settle(session);
    return session;
  }

  private sendDispatch(session: Session, t: string, d: unknown, unfiltered = false): void {
    const shaped = unfiltered ? d : shapeForIntents(t, d, session.intents, this.options.botUserId);
    if (shaped === undefined) return;
    const frame: Frame = { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d: shaped };
    session.backlog.push(frame);
    if (session.backlog.length > BACKLOG_LIMIT) session.backlog.shift();
    send(session.socket, frame);
  }
}

function settle(session: Session): void {
  for (const resolve of session.onReconnected.splice(0)) resolve();
}

function parseFrame(data: RawData): { op: number; d: unknown } | undefined {
  try {
    const frame = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
    return typeof frame.op === 'number' ? { op: frame.op, d: frame.d } : undefined;
  } catch {
    return undefined;
  }
}

function send(socket: WebSocket | undefined, frame: Frame): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function closeWith(socket: WebSocket, [code, reason]: readonly [number, string]): void {
  socket.close(code, reason);
}
