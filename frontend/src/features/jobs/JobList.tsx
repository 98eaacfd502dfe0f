/** Jobs with their state, timing, documents and the actions each state allows. */
import {
  CANCELLABLE_JOB_STATES,
  isFinished,
  type Job,
  type JobDocument,
  type JobState,
  type ReingestCounts,
  RETRYABLE_JOB_STATES,
} from "../../api/types";
import { href } from "../../router";
import { Badge } from "../ui/Badge";
import { elapsedSeconds, formatDuration, formatTime, percent } from "../ui/format";
import { ProgressBar } from "../ui/ProgressBar";
import { useNow } from "../ui/useNow";
import { JOB_STATE_HINTS, JOB_STATE_LABELS, jobTone, STAGE_LABELS, stageTone } from "./words";

interface Props {
  jobs: readonly Job[];
  /** Ids of jobs with a cancel or retry request in flight. */
  busy: ReadonlySet<string>;
  highlight?: string | null;
  onCancel(job: Job): void;
  onRetry(job: Job): void;
}

/** States whose `error` explains a wait or restates the user's own cancel: not shown as a problem. */
const QUIET_ERROR_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "scheduled",
  "cancelling",
  "cancelled",
]);

/** Documents listed openly up to this many; more fold into a disclosure. */
const OPEN_DOCUMENTS = 5;

export function JobList({ jobs, busy, highlight = null, onCancel, onRetry }: Props) {
  const now = useNow(jobs.some((job) => !isFinished(job)));
  return (
    <ul className="job-list">
      {jobs.map((job) => (
        <li
          key={job.id}
          id={`job-${job.id}`}
          className={`job${job.id === highlight ? " job--highlight" : ""}`}
          aria-label={`Job ${shortId(job.id)}, ${JOB_STATE_LABELS[job.state]}`}
        >
          <div className="job__head">
            <Badge tone={jobTone(job.state)} title={JOB_STATE_HINTS[job.state]}>
              {JOB_STATE_LABELS[job.state]}
            </Badge>
            <a className="job__title" href={href(`/jobs/${job.id}`)}>
              {job.kind === "reingest" ? "Re-ingestion" : "Ingestion"} of{" "}
              {plural(job.documents.length, "document")}
            </a>
            <span className="muted">
              <time dateTime={job.created_at}>{formatTime(job.created_at)}</time>
              {" · "}
              {timing(job, now)}
            </span>
            <span className="job__actions">
              {CANCELLABLE_JOB_STATES.has(job.state) && (
                <button
                  type="button"
                  onClick={() => onCancel(job)}
                  disabled={busy.has(job.id)}
                  aria-label={`Cancel job ${shortId(job.id)}`}
                >
                  Cancel
                </button>
              )}
              {RETRYABLE_JOB_STATES.has(job.state) && (
                <button
                  type="button"
                  onClick={() => onRetry(job)}
                  disabled={busy.has(job.id)}
                  aria-label={`Retry job ${shortId(job.id)}`}
                >
                  Retry
                </button>
              )}
              {job.prefect_url && (
                <a
                  href={job.prefect_url}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label="Prefect run (opens in a new tab)"
                >
                  Prefect run ↗
                </a>
              )}
            </span>
          </div>
          {job.retry_of && (
            <p className="muted">
              Retry of{" "}
              <a href={href("/jobs", { job: job.retry_of })}>job {shortId(job.retry_of)}</a>
            </p>
          )}
          {!isFinished(job) && (
            <ProgressBar value={job.progress} label={`Job ${shortId(job.id)} progress`} />
          )}
          {job.error && (
            <p className={QUIET_ERROR_STATES.has(job.state) ? "muted" : "problem"}>{job.error}</p>
          )}
          {job.counts && <ReingestCountsLine counts={job.counts} />}
          <JobDocuments documents={job.documents} />
        </li>
      ))}
    </ul>
  );
}

/** A re-ingestion's outcome so far: unchanged documents are skipped, not re-embedded. */
export function ReingestCountsLine({ counts }: { counts: ReingestCounts }) {
  return (
    <p className="job__counts" aria-label="Re-ingestion counts">
      <span>{counts.skipped} skipped (unchanged)</span>
      <span>{counts.reingested} re-ingested</span>
      <span className={counts.failed ? "problem" : undefined}>{counts.failed} failed</span>
    </p>
  );
}

function JobDocuments({ documents }: { documents: readonly JobDocument[] }) {
  if (documents.length === 0) return null;
  const list = (
    <ul className="job__documents">
      {documents.map((doc) => (
        <li key={doc.document_id}>
          <span className="job__doc-name">{doc.filename}</span>
          <Badge tone={stageTone(doc.stage)}>{STAGE_LABELS[doc.stage]}</Badge>
          {doc.chunks_total > 0 && (
            <span className="muted">
              {doc.chunks_done} / {doc.chunks_total} chunks
            </span>
          )}
          {!["done", "skipped", "failed", "cancelled"].includes(doc.stage) && (
            <span className="muted">{percent(doc.progress)}</span>
          )}
          {doc.error && (
            <span className={`${doc.stage === "cancelled" ? "muted" : "problem"} job__doc-error`}>
              {doc.error}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
  if (documents.length <= OPEN_DOCUMENTS) return list;
  return (
    <details>
      <summary>Show the {documents.length} documents</summary>
      {list}
    </details>
  );
}

function timing(job: Job, now: number): string {
  if (!job.started_at) {
    const waited = elapsedSeconds(job.created_at, isFinished(job) ? job.finished_at : null, now);
    return isFinished(job) ? "never started" : `waiting ${formatDuration(waited ?? 0)}`;
  }
  const took = elapsedSeconds(job.started_at, job.finished_at, now) ?? 0;
  return job.finished_at ? `took ${formatDuration(took)}` : `running ${formatDuration(took)}`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
