import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { FakeSocket } from "../test/fakes";
import { backoffDelay, LiveSocket, type LiveStatus, liveUrl, parseMessage } from "./live";

describe("live socket", () => {
  let statuses: LiveStatus[];
  let messages: unknown[];
  let unauthorized: ReturnType<typeof vi.fn<() => void>>;
  let socket: LiveSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    statuses = [];
    messages = [];
    unauthorized = vi.fn<() => void>();
    socket = new LiveSocket(
      "ws://host/api/v1/ws?token=t",
      { message: (m) => messages.push(m), status: (s) => statuses.push(s), unauthorized },
      FakeSocket.factory,
    );
    socket.start();
  });

  afterEach(() => {
    socket.stop();
    vi.useRealTimers();
  });

  it("passes snapshot and job messages on, and ignores others", () => {
    FakeSocket.last().open();
    FakeSocket.last().send({ type: "snapshot", jobs: [] });
    FakeSocket.last().send({ type: "ping" });
    FakeSocket.last().send({ type: "job", job: { id: "j" } });
    expect(messages).toEqual([
      { type: "snapshot", jobs: [] },
      { type: "job", job: { id: "j" } },
    ]);
    expect(statuses).toEqual(["connecting", "open"]);
  });

  it("reconnects with growing delays and says to poll meanwhile", () => {
    FakeSocket.last().fail();
    expect(statuses.at(-1)).toBe("polling");
    vi.advanceTimersByTime(1_200);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last().fail();
    vi.advanceTimersByTime(1_200);
    expect(FakeSocket.instances).toHaveLength(2); // second wait is ~2 s
    vi.advanceTimersByTime(1_400);
    expect(FakeSocket.instances).toHaveLength(3);
    FakeSocket.last().open();
    expect(statuses.at(-1)).toBe("open");
  });

  it("stops and reports a bad token (close code 4401)", () => {
    FakeSocket.last().fail(4401);
    expect(unauthorized).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

describe("live helpers", () => {
  it("caps the backoff at 30 s with jitter", () => {
    expect(backoffDelay(0, () => 0.5)).toBe(1_000);
    expect(backoffDelay(3, () => 0.5)).toBe(8_000);
    expect(backoffDelay(20, () => 1)).toBe(36_000);
    expect(backoffDelay(20, () => 0)).toBe(24_000);
  });

  it("builds ws:// or wss:// from the page's origin", () => {
    const at = (protocol: string) => ({ protocol, host: "example.test:8000" }) as Location;
    expect(liveUrl("a b", at("http:"))).toBe("ws://example.test:8000/api/v1/ws?token=a%20b");
    expect(liveUrl("t", at("https:"))).toBe("wss://example.test:8000/api/v1/ws?token=t");
  });

  it("drops what is not a known message", () => {
    expect(parseMessage("not json")).toBeNull();
    expect(parseMessage(JSON.stringify({ type: "snapshot" }))).toBeNull();
    expect(parseMessage(new ArrayBuffer(2))).toBeNull();
  });
});
