/** What a user stores against what they may store, in words. */
import type { StorageUsage } from "../../api/types";
import { formatBytes } from "../ui/format";

export function usageWords(usage: StorageUsage): string {
  const bytes =
    usage.bytes_allowed === null
      ? formatBytes(usage.bytes_used)
      : `${formatBytes(usage.bytes_used)} of ${formatBytes(usage.bytes_allowed)}`;
  const count = usage.documents.toLocaleString("en");
  const documents =
    usage.documents_allowed === null
      ? `${count} ${usage.documents === 1 ? "document" : "documents"}`
      : `${count} of ${usage.documents_allowed.toLocaleString("en")} documents`;
  return `You store ${bytes} · ${documents}`;
}

/** Whether the user is close enough to a limit (90 %) to be told before an upload fails. */
export function nearLimit(usage: StorageUsage): boolean {
  const near = (used: number, allowed: number | null) => allowed !== null && used >= allowed * 0.9;
  return (
    near(usage.bytes_used, usage.bytes_allowed) || near(usage.documents, usage.documents_allowed)
  );
}
