/** The users page's small decisions: quotas typed in GiB, and what a change says. */
import type { User } from "../../api/types";
import { formatBytes } from "../ui/format";

const GIB = 1024 ** 3;

/** A quota typed by an admin: empty is "no cap" (null); otherwise a whole number ≥ 0. */
export function parseQuota(text: string, unit: "GiB" | "documents"): number | null | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) return "invalid";
  if (unit === "documents") return Number.isInteger(value) ? value : "invalid";
  return Math.round(value * GIB);
}

/** A stored byte quota as the GiB field shows it. */
export function quotaInGib(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "";
  return String(Math.round((bytes / GIB) * 100) / 100);
}

export function quotaWords(user: Pick<User, "quota_bytes" | "quota_documents">): string {
  const parts = [];
  if (user.quota_bytes !== null && user.quota_bytes !== undefined)
    parts.push(formatBytes(user.quota_bytes));
  if (user.quota_documents !== null && user.quota_documents !== undefined)
    parts.push(`${user.quota_documents} documents`);
  return parts.length ? parts.join(", ") : "no cap";
}

export const NOTIFY_WORDS: Record<User["notify"], string> = {
  all: "Every job that ends",
  failures: "Only failed and crashed jobs",
  none: "No notifications",
};
