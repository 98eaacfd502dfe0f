/** What the nightly re-ingestion's schedule says, in words. */
import type { ReingestSchedule } from "../../api/types";
import { formatTime } from "../ui/format";

const CRON_DAILY = /^(\d{1,2}) (\d{1,2}) \* \* \*$/;

/** "Every day at 03:00 UTC" for a daily cron, the cron itself otherwise. */
export function cronWords(
  cron: string | null | undefined,
  timezone: string | null | undefined,
): string {
  if (!cron) return "no schedule";
  const daily = CRON_DAILY.exec(cron);
  const zone = timezone ?? "UTC";
  if (!daily) return `cron “${cron}” (${zone})`;
  const [, minute = "0", hour = "0"] = daily;
  return `every day at ${hour.padStart(2, "0")}:${minute.padStart(2, "0")} ${zone}`;
}

export function scheduleState(schedule: ReingestSchedule): {
  label: string;
  tone: "good" | "warn" | "neutral";
} {
  if (!schedule.scheduled) return { label: "No schedule", tone: "neutral" };
  return schedule.active ? { label: "Active", tone: "good" } : { label: "Paused", tone: "warn" };
}

export function nextRunWords(schedule: ReingestSchedule): string {
  if (!schedule.scheduled) return "No nightly run is planned.";
  if (!schedule.active) return "Paused: no run is planned until it is resumed.";
  return schedule.next_run_at
    ? `Next run: ${formatTime(schedule.next_run_at)}`
    : "The next run is being planned.";
}
