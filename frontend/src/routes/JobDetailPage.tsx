/** One job, live: what a notification's link opens (`#/jobs/<id>`). */
import { useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { Job } from "../api/types";
import { useQuery } from "../api/useQuery";
import { type JobAction, runJobAction } from "../features/jobs/actions";
import { JobList, shortId } from "../features/jobs/JobList";
import { useLiveJobs } from "../features/live/LiveJobsProvider";
import { Loading, Notice } from "../features/ui/Notice";
import { href } from "../router";

export function JobDetailPage({ jobId }: { jobId: string }) {
  const query = useQuery(
    (signal) =>
      call(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: jobId } }, signal })),
    `job|${jobId}`,
  );
  const live = useLiveJobs();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const job = live.jobs[jobId] ?? query.data;

  async function act(target: Job, action: JobAction) {
    setBusy(true);
    setMessage(null);
    try {
      const { job: result, text } = await runJobAction(target, action);
      live.put(result);
      setMessage({ kind: "success", text });
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="section-head">
        <h1>Job {shortId(jobId)}</h1>
        <a href={href("/jobs")}>All jobs</a>
      </div>
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {query.error && !job && <Notice kind="error">{query.error}</Notice>}
      {!job && query.loading ? (
        <Loading what="the job" />
      ) : job ? (
        <JobList
          jobs={[job]}
          busy={busy ? new Set([job.id]) : new Set()}
          onCancel={(j) => void act(j, "cancel")}
          onRetry={(j) => void act(j, "retry")}
        />
      ) : null}
    </>
  );
}
