/** The health page's words and chart data, from GET /api/v1/admin/health. */
import type { HealthPoint, WorkerHealth } from "../../api/types";
import { nameOf } from "../system/SystemStrip";

/** One point of the last hour's chart: each component's latency (null while it was down). */
export interface ChartPoint {
  at: number;
  scheduled: number;
  running: number;
  [component: string]: number | null;
}

export function chartPoints(history: readonly HealthPoint[]): ChartPoint[] {
  return history.map((point) => {
    const row: ChartPoint = {
      at: Date.parse(point.at),
      scheduled: point.scheduled,
      running: point.running,
    };
    for (const [name, latency] of Object.entries(point.latency_ms)) {
      row[name] = point.ok[name] ? (latency ?? null) : null;
    }
    return row;
  });
}

/** The components seen in the history, for the chart's lines (disk has no latency worth one). */
export function chartedComponents(history: readonly HealthPoint[]): string[] {
  const names = new Set<string>();
  for (const point of history) for (const name of Object.keys(point.latency_ms)) names.add(name);
  names.delete("disk");
  return [...names].sort();
}

/** How much of the last hour each component was up, 0..1 (null without samples). */
export function uptime(history: readonly HealthPoint[], component: string): number | null {
  const seen = history.filter((point) => component in point.ok);
  if (seen.length === 0) return null;
  return seen.filter((point) => point.ok[component]).length / seen.length;
}

export function componentLabel(name: string): string {
  return nameOf(name);
}

/** "12 s ago", "3 min ago", "never". */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export function workerWords(worker: WorkerHealth): string {
  if (worker.kind === "deployment")
    return `Runs of ${worker.name} are picked up by a serve process`;
  return `Worker ${worker.name} of the work pool`;
}
