/**
 * Test doubles at the transport level: a fetch that answers by method and path, a WebSocket
 * the test drives by hand, and an XMLHttpRequest that reports upload progress on request.
 */
import { vi } from "vitest";

import type { Job, JobDocument } from "../api/types";

type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** Stubs fetch with `"METHOD /path"` handlers; unknown routes answer 404. Returns the calls. */
export function mockFetch(routes: Record<string, Handler>): Request[] {
  const calls: Request[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      calls.push(input);
      const url = new URL(input.url);
      const handler = routes[`${input.method} ${url.pathname}`];
      return handler ? handler(input) : json({ detail: "Not found", code: "not_found" }, 404);
    }),
  );
  return calls;
}

export class FakeSocket {
  static instances: FakeSocket[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static factory = (url: string): WebSocket => new FakeSocket(url) as unknown as WebSocket;

  static last(): FakeSocket {
    const socket = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!socket) throw new Error("no socket opened");
    return socket;
  }

  open(): void {
    this.onopen?.(new Event("open"));
  }

  send(message: unknown): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }

  fail(code = 1006): void {
    this.onclose?.(new CloseEvent("close", { code }));
  }

  close(): void {
    this.closed = true;
  }
}

/** An XMLHttpRequest whose upload the test advances and answers. */
export class FakeXhr {
  static instances: FakeXhr[] = [];
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  responseType = "";
  responseText = "";
  status = 0;
  statusText = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  method = "";
  url = "";

  constructor() {
    FakeXhr.instances.push(this);
  }

  static install(): void {
    FakeXhr.instances = [];
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
  }

  static last(): FakeXhr {
    const xhr = FakeXhr.instances[FakeXhr.instances.length - 1];
    if (!xhr) throw new Error("no upload sent");
    return xhr;
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  getResponseHeader(): string | null {
    return null;
  }
  send(body: FormData): void {
    this.body = body;
  }
  abort(): void {
    this.onabort?.();
  }

  progress(loaded: number, total: number): void {
    this.upload.onprogress?.(
      new ProgressEvent("progress", { loaded, total, lengthComputable: true }),
    );
  }

  respond(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

export function makeJobDocument(overrides: Partial<JobDocument> = {}): JobDocument {
  return {
    document_id: "doc-1",
    version_id: "ver-1",
    filename: "report.pdf",
    stage: "queued",
    progress: 0,
    chunks_done: 0,
    chunks_total: 0,
    error: null,
    updated_at: "2026-01-01T00:00:00Z",
    size_bytes: 1000,
    sha256: "0".repeat(64),
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}

export function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: "job-1",
    kind: "ingest",
    state: "scheduled",
    progress: 0,
    documents: [makeJobDocument()],
    error: null,
    created_at: "2026-11-28T10:00:00Z",
    started_at: null,
    finished_at: null,
    flow_run_id: null,
    prefect_url: null,
    chunks_per_second: null,
    eta_seconds: null,
    owner_id: "user-1",
    retry_of: null,
    ...overrides,
  };
}
