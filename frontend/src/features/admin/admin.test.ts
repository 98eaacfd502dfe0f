import { describe, expect, it } from "vitest";

import type { DayUsage, HealthPoint, ReingestSchedule } from "../../api/types";
import { dailyTotals, errorRate, userTotals } from "./analytics";
import { ago, chartedComponents, chartPoints, uptime } from "./health";
import { cronWords, nextRunWords, scheduleState } from "./schedule";
import { parseQuota, quotaInGib, quotaWords } from "./users";

function point(at: string, ok: Record<string, boolean>): HealthPoint {
  return {
    at,
    ok,
    latency_ms: Object.fromEntries(Object.keys(ok).map((name) => [name, 12])),
    scheduled: 1,
    running: 2,
    late: 0,
    disk_free_bytes: 5,
  };
}

describe("health", () => {
  const history = [
    point("2026-12-02T10:00:00Z", { database: true, prefect: true, disk: true }),
    point("2026-12-02T10:00:15Z", { database: true, prefect: false, disk: true }),
  ];

  it("charts each component's latency, with a gap while it was down", () => {
    const [first, second] = chartPoints(history);
    expect(first).toMatchObject({ database: 12, prefect: 12, scheduled: 1, running: 2 });
    expect(second?.prefect).toBeNull();
    expect(second?.at).toBe(Date.parse("2026-12-02T10:00:15Z"));
    expect(chartedComponents(history)).toEqual(["database", "prefect"]);
  });

  it("says how much of the hour a component was up, and how long ago a worker was seen", () => {
    expect(uptime(history, "prefect")).toBe(0.5);
    expect(uptime(history, "chroma")).toBeNull();
    const now = Date.parse("2026-12-02T10:05:00Z");
    expect(ago("2026-12-02T10:04:48Z", now)).toBe("12 s ago");
    expect(ago("2026-12-02T10:00:00Z", now)).toBe("5 min ago");
    expect(ago(null, now)).toBe("never");
  });
});

describe("analytics", () => {
  const row = (day: string, user: string, requests: number): DayUsage => ({
    day,
    user,
    requests,
    uploads: 1,
    bytes: 100,
    documents: 2,
    failed: 0,
    questions: 3,
  });
  const rows = [
    row("2026-12-02", "alice", 5),
    row("2026-12-02", "bob", 7),
    row("2026-12-01", "alice", 1),
  ];

  it("adds every user's day up, with empty days as zeros, oldest first", () => {
    const totals = dailyTotals(rows, 3, new Date("2026-12-02T12:00:00Z"));
    expect(totals.map((t) => t.day)).toEqual(["2026-11-30", "2026-12-01", "2026-12-02"]);
    expect(totals.map((t) => t.requests)).toEqual([0, 1, 12]);
    expect(totals[2]?.questions).toBe(6);
  });

  it("ranks users by requests over the period", () => {
    expect(userTotals(rows).map((u) => [u.user, u.requests])).toEqual([
      ["bob", 7],
      ["alice", 6],
    ]);
  });

  it("writes a route's error rate as a percentage", () => {
    const route = {
      method: "GET",
      route: "/x",
      count: 200,
      errors: 1,
      client_errors: 0,
      p50_ms: 1,
      p95_ms: 2,
    };
    expect(errorRate({ ...route, error_rate: 0.005 })).toBe("0.50 %");
    expect(errorRate({ ...route, error_rate: 0.25 })).toBe("25.0 %");
  });
});

describe("quotas", () => {
  it("reads a GiB or document quota, empty meaning no cap", () => {
    expect(parseQuota("", "GiB")).toBeNull();
    expect(parseQuota("1.5", "GiB")).toBe(1.5 * 1024 ** 3);
    expect(parseQuota("-1", "GiB")).toBe("invalid");
    expect(parseQuota("2.5", "documents")).toBe("invalid");
    expect(parseQuota("40", "documents")).toBe(40);
    expect(quotaInGib(2 * 1024 ** 3)).toBe("2");
    expect(quotaWords({ quota_bytes: null, quota_documents: null })).toBe("no cap");
    expect(quotaWords({ quota_bytes: 1024 ** 3, quota_documents: 10 })).toBe(
      "1.0 GB, 10 documents",
    );
  });
});

describe("the nightly schedule", () => {
  const schedule: ReingestSchedule = {
    scheduled: true,
    cron: "0 3 * * *",
    timezone: "UTC",
    active: true,
    next_run_at: null,
    deployment_url: null,
  };

  it("says when it runs and whether it is paused", () => {
    expect(cronWords("0 3 * * *", "UTC")).toBe("every day at 03:00 UTC");
    expect(cronWords("*/5 * * * *", "UTC")).toBe("cron “*/5 * * * *” (UTC)");
    expect(scheduleState(schedule)).toEqual({ label: "Active", tone: "good" });
    expect(scheduleState({ ...schedule, active: false }).label).toBe("Paused");
    expect(nextRunWords({ ...schedule, active: false })).toMatch(/^Paused/);
    expect(nextRunWords(schedule)).toBe("The next run is being planned.");
  });
});
