/**
 * The live job feed: WS /api/v1/ws?token=… sends a snapshot on every (re)connect, then one
 * message per job change. This class only keeps a socket open: it reconnects with capped
 * exponential backoff and says when it is not open, so its owner can poll instead.
 */
import type { Job, LiveMessage } from "./types";

/** `polling`: the socket could not open (yet); the owner should poll while it retries. */
export type LiveStatus = "connecting" | "open" | "polling" | "stopped";

export interface LiveHandlers {
  message(message: LiveMessage): void;
  status(status: LiveStatus): void;
  /** The server closed with 4401: the token is no longer valid. */
  unauthorized(): void;
}

export type SocketFactory = (url: string) => WebSocket;

export const UNAUTHORIZED_CLOSE = 4401;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export function liveUrl(token: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`;
}

/** 1 s, 2 s, 4 s … capped at 30 s, with ±20 % jitter so many tabs do not reconnect in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function parseMessage(data: unknown): LiveMessage | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as { type?: unknown; jobs?: unknown; job?: unknown };
    if (value.type === "snapshot" && Array.isArray(value.jobs)) {
      return { type: "snapshot", jobs: value.jobs as Job[] };
    }
    if (value.type === "job" && value.job && typeof value.job === "object") {
      return { type: "job", job: value.job as Job };
    }
  } catch {
    // not JSON: ignore, like any unknown message type
  }
  return null;
}

export class LiveSocket {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: LiveHandlers,
    private readonly open: SocketFactory = (url) => new WebSocket(url),
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000);
    }
    this.handlers.status("stopped");
  }

  private connect(): void {
    this.timer = null;
    if (this.attempt === 0) this.handlers.status("connecting");
    let socket: WebSocket;
    try {
      socket = this.open(this.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.handlers.status("open");
    };
    socket.onmessage = (event: MessageEvent) => {
      const message = parseMessage(event.data);
      if (message) this.handlers.message(message);
    };
    socket.onclose = (event: CloseEvent) => {
      this.socket = null;
      if (this.stopped) return;
      if (event.code === UNAUTHORIZED_CLOSE) {
        this.stopped = true;
        this.handlers.status("stopped");
        this.handlers.unauthorized();
        return;
      }
      this.retry();
    };
    // An error is always followed by close; the retry happens there.
    socket.onerror = () => undefined;
  }

  private retry(): void {
    if (this.stopped) return;
    this.handlers.status("polling");
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt));
    this.attempt += 1;
  }
}
