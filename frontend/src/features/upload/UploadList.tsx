/** The upload queue: one row per file with its upload bytes, then its processing stage. */
import { Badge } from "../ui/Badge";
import { formatBytes, formatDuration, percent } from "../ui/format";
import { ProgressBar } from "../ui/ProgressBar";
import { href } from "../../router";
import { JOB_STATE_LABELS, STAGE_LABELS, stageTone } from "../jobs/words";
import { useLiveJobs } from "../live/LiveJobsProvider";
import { jobRate, type Processing, processingOf } from "./processing";
import type { UploadItem } from "./uploadState";
import { useUploads } from "./UploadProvider";

export function UploadList() {
  const { items, remove, retry, clearFinished } = useUploads();
  const { jobs } = useLiveJobs();

  if (items.length === 0) {
    return (
      <p className="empty">
        No files yet. Add some above; they are sent as soon as they pass the checks.
      </p>
    );
  }
  const rows = items.map((item) => ({ item, processing: processingOf(item, jobs) }));
  return (
    <section aria-labelledby="upload-list-title">
      <div className="section-head">
        <h2 id="upload-list-title">Files</h2>
        <button type="button" onClick={clearFinished}>
          Clear finished
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {summary(rows)}
      </p>
      <ul className="upload-list">
        {rows.map(({ item, processing }) => (
          <li key={item.key} className="upload-item" data-phase={item.phase}>
            <div className="upload-item__head">
              <span className="upload-item__name">{item.file.name}</span>
              <span className="muted">{formatBytes(item.file.size)}</span>
              <span className="upload-item__actions">
                {item.phase === "failed" && (
                  <button
                    type="button"
                    onClick={() => retry(item.key)}
                    aria-label={`Try again ${item.file.name}`}
                  >
                    Try again
                  </button>
                )}
                {item.phase !== "uploading" && (
                  <button
                    type="button"
                    onClick={() => remove(item.key)}
                    aria-label={`Remove ${item.file.name}`}
                  >
                    Remove
                  </button>
                )}
              </span>
            </div>
            <ItemStatus item={item} processing={processing} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemStatus({ item, processing }: { item: UploadItem; processing: Processing | null }) {
  const name = item.file.name;
  switch (item.phase) {
    case "invalid":
      return <p className="problem">Not sent: {item.problem}</p>;
    case "rejected":
      return <p className="problem">Refused by the server: {item.problem}</p>;
    case "failed":
      return <p className="problem">Upload failed: {item.problem}</p>;
    case "ready":
      return <p className="muted">Waiting to upload…</p>;
    case "uploading":
      return (
        <div className="upload-item__stage">
          <span>Uploading {percent(item.sent)}</span>
          <ProgressBar value={item.sent} label={`Upload of ${name}`} />
        </div>
      );
    case "sent":
      return <Processed name={name} processing={processing} />;
  }
}

function Processed({ name, processing }: { name: string; processing: Processing | null }) {
  if (!processing?.document) return <p className="muted">Uploaded; waiting for the job…</p>;
  const { job, document } = processing;
  // Speed and time left are the job's: beside a document that has finished they mislead.
  const { chunksPerSecond, etaSeconds } = FINISHED_STAGES.has(document.stage)
    ? { chunksPerSecond: null, etaSeconds: null }
    : jobRate(job);
  const waiting = job.state === "scheduled" || job.state === "pending";
  const tone = stageTone(document.stage);
  return (
    <div className="upload-item__stage">
      <span className="upload-item__line">
        <Badge tone={tone}>{STAGE_LABELS[document.stage]}</Badge>
        <span>{percent(document.progress)}</span>
        {document.chunks_total > 0 && (
          <span>
            {document.chunks_done} / {document.chunks_total} chunks
          </span>
        )}
        {chunksPerSecond !== null && <span>{chunksPerSecond.toFixed(1)} chunks/s</span>}
        {etaSeconds !== null && <span>about {formatDuration(etaSeconds)} left</span>}
        <a href={href("/jobs", { job: job.id })}>Job: {JOB_STATE_LABELS[job.state]}</a>
      </span>
      <ProgressBar
        value={document.progress}
        label={`Processing of ${name}`}
        text={`${STAGE_LABELS[document.stage]}, ${percent(document.progress)}`}
        tone={tone === "bad" ? "error" : tone === "good" ? "done" : "default"}
      />
      {waiting && job.error && <p className="muted">Waiting: {job.error}</p>}
      {document.error && (
        <p className={document.stage === "cancelled" ? "muted" : "problem"}>{document.error}</p>
      )}
    </div>
  );
}

const FINISHED_STAGES: ReadonlySet<string> = new Set(["done", "skipped", "failed", "cancelled"]);

function summary(rows: { item: UploadItem; processing: Processing | null }[]): string {
  let uploading = 0;
  let processing = 0;
  let done = 0;
  let problems = 0;
  for (const { item, processing: p } of rows) {
    if (item.phase === "ready" || item.phase === "uploading") uploading += 1;
    else if (item.phase !== "sent") problems += 1;
    else if (p?.document && ["done", "skipped"].includes(p.document.stage)) done += 1;
    else if (p?.document && ["failed", "cancelled"].includes(p.document.stage)) problems += 1;
    else processing += 1;
  }
  return `${rows.length} files: ${uploading} uploading, ${processing} processing, ${done} done, ${problems} with problems.`;
}
