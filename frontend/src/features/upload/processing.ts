/** What an uploaded file's live job says about it: stage, progress, speed and time left. */
import { isFinished, type Job, type JobDocument } from "../../api/types";
import type { UploadItem } from "./uploadState";

export interface Processing {
  job: Job;
  document: JobDocument | null;
}

export function processingOf(
  item: UploadItem,
  jobs: Readonly<Record<string, Job>>,
): Processing | null {
  if (!item.jobId) return null;
  const job = jobs[item.jobId];
  if (!job) return null;
  const document =
    job.documents.find((d) => item.documentId !== null && d.document_id === item.documentId) ??
    job.documents.find((d) => d.filename === item.file.name) ??
    null;
  return { job, document };
}

/** Speed and time left are the job's, and only meaningful while it runs. */
export function jobRate(job: Job): { chunksPerSecond: number | null; etaSeconds: number | null } {
  if (isFinished(job) || job.state !== "running")
    return { chunksPerSecond: null, etaSeconds: null };
  return {
    chunksPerSecond: job.chunks_per_second ?? null,
    etaSeconds: job.eta_seconds ?? null,
  };
}
