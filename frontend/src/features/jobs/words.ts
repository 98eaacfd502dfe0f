/** Job states and document stages in plain words. */
import type { DocumentStatus, JobState, Stage } from "../../api/types";
import type { Tone } from "../ui/Badge";

export const JOB_STATE_LABELS: Record<JobState, string> = {
  scheduled: "Waiting",
  pending: "Starting",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelling: "Cancelling",
  cancelled: "Cancelled",
  crashed: "Crashed",
};

export const JOB_STATE_HINTS: Record<JobState, string> = {
  scheduled: "Accepted; waiting for the ingestion worker to pick it up.",
  pending: "Picked up; starting.",
  running: "Processing the documents.",
  completed: "Every document was indexed or was already up to date.",
  failed: "At least one document could not be indexed.",
  cancelling: "Stopping.",
  cancelled: "Stopped on request.",
  crashed: "The process running it died (an infrastructure problem, not your files).",
};

export const STAGE_LABELS: Record<Stage, string> = {
  queued: "Waiting to start",
  parsing: "Reading the file",
  chunking: "Splitting into chunks",
  embedding: "Embedding",
  storing: "Saving to the index",
  done: "Done",
  skipped: "Unchanged, already indexed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  queued: "Queued",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function jobTone(state: JobState): Tone {
  switch (state) {
    case "completed":
      return "good";
    case "failed":
    case "crashed":
      return "bad";
    case "cancelling":
    case "cancelled":
      return "warn";
    case "pending":
    case "running":
      return "active";
    case "scheduled":
      return "neutral";
  }
}

export function stageTone(stage: Stage): Tone {
  switch (stage) {
    case "done":
    case "skipped":
      return "good";
    case "failed":
      return "bad";
    case "cancelled":
      return "warn";
    case "queued":
      return "neutral";
    default:
      return "active";
  }
}

export function documentTone(status: DocumentStatus): Tone {
  switch (status) {
    case "ready":
      return "good";
    case "failed":
      return "bad";
    case "cancelled":
      return "warn";
    case "processing":
      return "active";
    case "queued":
      return "neutral";
  }
}
