/** The analytics page's chart data, from GET /api/v1/admin/analytics. */
import type { DayUsage, RouteUsage } from "../../api/types";

/** What is counted per user and day. */
export type Usage = Pick<
  DayUsage,
  "requests" | "uploads" | "bytes" | "documents" | "failed" | "questions"
>;

const FIELDS = ["requests", "uploads", "bytes", "documents", "failed", "questions"] as const;

function none(): Usage {
  return { requests: 0, uploads: 0, bytes: 0, documents: 0, failed: 0, questions: 0 };
}

function add(total: Usage, row: Usage): void {
  for (const field of FIELDS) total[field] += row[field];
}

export type DayTotal = Usage & { day: string };

/** Every user's usage added up per day, oldest day first, with the days without any as zeros. */
export function dailyTotals(
  rows: readonly DayUsage[],
  days: number,
  today: Date = new Date(),
): DayTotal[] {
  const totals = new Map<string, DayTotal>();
  for (let back = days - 1; back >= 0; back -= 1) {
    const day = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back),
    );
    const key = day.toISOString().slice(0, 10);
    totals.set(key, { day: key, ...none() });
  }
  for (const row of rows) {
    const total = totals.get(row.day);
    if (total) add(total, row);
  }
  return [...totals.values()];
}

export type UserTotal = Usage & { user: string };

/** Each user's usage over the whole period, busiest first. */
export function userTotals(rows: readonly DayUsage[]): UserTotal[] {
  const totals = new Map<string, UserTotal>();
  for (const row of rows) {
    const total = totals.get(row.user) ?? { user: row.user, ...none() };
    add(total, row);
    totals.set(row.user, total);
  }
  return [...totals.values()].sort(
    (a, b) => b.requests - a.requests || a.user.localeCompare(b.user),
  );
}

/** The routes worth a latency bar: the busiest ones. */
export function busiestRoutes(rows: readonly RouteUsage[], top = 8): RouteUsage[] {
  return [...rows].sort((a, b) => b.count - a.count).slice(0, top);
}

export function routeLabel(route: RouteUsage): string {
  return `${route.method} ${route.route}`;
}

export function errorRate(route: RouteUsage): string {
  return `${(route.error_rate * 100).toFixed(route.error_rate && route.error_rate < 0.01 ? 2 : 1)} %`;
}
