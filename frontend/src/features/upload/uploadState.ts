/**
 * The upload list as a pure reducer. A file goes `ready` → `uploading` → `sent` (then the live
 * job tells its processing stage), or ends `invalid` (pre-check), `rejected` (server) or
 * `failed` (network, auth; can be tried again).
 */
import type { UploadAccepted } from "../../api/types";
import { precheck } from "./precheck";

export type UploadPhase = "invalid" | "ready" | "uploading" | "sent" | "rejected" | "failed";

export interface UploadItem {
  key: string;
  file: File;
  phase: UploadPhase;
  /** 0..1 of the file's bytes sent. */
  sent: number;
  /** Why it cannot go on (pre-check, server rejection or failure), in plain words. */
  problem: string | null;
  jobId: string | null;
  documentId: string | null;
}

export type UploadAction =
  | { type: "add"; files: readonly File[]; maxBytes: number }
  | { type: "remove"; key: string }
  | { type: "clear-finished" }
  | { type: "retry"; key: string }
  | { type: "started"; keys: readonly string[] }
  | { type: "progress"; keys: readonly string[]; fractions: readonly number[] }
  | { type: "accepted"; keys: readonly string[]; response: UploadAccepted }
  | { type: "failed"; keys: readonly string[]; phase: "rejected" | "failed"; problem: string };

let counter = 0;
const nextKey = (): string => `upload-${++counter}`;

function update(
  items: readonly UploadItem[],
  keys: readonly string[],
  change: (item: UploadItem, index: number) => UploadItem,
): UploadItem[] {
  return items.map((item) => {
    const index = keys.indexOf(item.key);
    return index === -1 ? item : change(item, index);
  });
}

/** Waiting or in flight: a second file with the same name would be the same document. */
const isPending = (item: UploadItem): boolean =>
  item.phase === "ready" || item.phase === "uploading";

export function uploadReducer(items: readonly UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "add": {
      const added: UploadItem[] = [];
      const pendingNames = new Set(items.filter(isPending).map((item) => item.file.name));
      for (const file of action.files) {
        let problem = precheck(file, action.maxBytes);
        if (!problem && pendingNames.has(file.name)) {
          problem = "A file with this name is already waiting in the list.";
        }
        if (!problem) pendingNames.add(file.name);
        added.push({
          key: nextKey(),
          file,
          phase: problem ? "invalid" : "ready",
          sent: 0,
          problem,
          jobId: null,
          documentId: null,
        });
      }
      return [...items, ...added];
    }
    case "remove":
      return items.filter((item) => item.key !== action.key || item.phase === "uploading");
    case "clear-finished":
      return items.filter(isPending);
    case "retry":
      return update(items, [action.key], (item) =>
        item.phase === "failed" ? { ...item, phase: "ready", problem: null, sent: 0 } : item,
      );
    case "started":
      return update(items, action.keys, (item) => ({ ...item, phase: "uploading", sent: 0 }));
    case "progress":
      return update(items, action.keys, (item, i) => ({
        ...item,
        sent: action.fractions[i] ?? item.sent,
      }));
    case "accepted": {
      const { job, documents, rejected = [] } = action.response;
      return update(items, action.keys, (item) => {
        const refusal = rejected.find((r) => r.filename === item.file.name);
        if (refusal) return { ...item, phase: "rejected", problem: refusal.detail };
        const document = documents.find((d) => d.filename === item.file.name);
        return { ...item, phase: "sent", sent: 1, jobId: job.id, documentId: document?.id ?? null };
      });
    }
    case "failed":
      return update(items, action.keys, (item) => ({
        ...item,
        phase: action.phase,
        problem: action.problem,
      }));
  }
}
