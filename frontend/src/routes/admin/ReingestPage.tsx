/** Bulk re-ingestion (admins): start one, watch it live with its counts, and the nightly schedule. */
import { type FormEvent, useMemo, useState } from "react";

import { api, call } from "../../api/client";
import { handleError } from "../../api/errors";
import type { Job } from "../../api/types";
import { useQuery } from "../../api/useQuery";
import { cronWords, nextRunWords, scheduleState } from "../../features/admin/schedule";
import { type JobAction, runJobAction } from "../../features/jobs/actions";
import { JobList, shortId } from "../../features/jobs/JobList";
import { useLiveJobs } from "../../features/live/LiveJobsProvider";
import { Badge } from "../../features/ui/Badge";
import { Loading, Notice } from "../../features/ui/Notice";

export const RECENT_REINGESTIONS = 5;
type Message = { kind: "error" | "success"; text: string } | null;

export function ReingestPage() {
  return (
    <>
      <h1>Re-ingestion</h1>
      <p className="muted">
        Re-reads every ready document through the current parser, chunker and model. Only changed
        documents are re-embedded unless you ask for everything.
      </p>
      <StartForm />
      <SchedulePanel />
    </>
  );
}

function StartForm() {
  const recent = useQuery(
    (signal) =>
      call(
        api.GET("/api/v1/jobs", {
          params: { query: { kind: "reingest", limit: RECENT_REINGESTIONS } },
          signal,
        }),
      ),
    "reingestions",
  );
  const live = useLiveJobs();
  const [onlyChanged, setOnlyChanged] = useState(true);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  const jobs = useMemo(() => {
    const shown = new Map<string, Job>();
    for (const job of recent.data?.data ?? []) shown.set(job.id, live.jobs[job.id] ?? job);
    for (const job of Object.values(live.jobs))
      if (job.kind === "reingest" && !shown.has(job.id)) shown.set(job.id, job);
    return [...shown.values()]
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
      .slice(0, RECENT_REINGESTIONS);
  }, [recent.data, live.jobs]);

  async function start(event: FormEvent) {
    event.preventDefault();
    setStarting(true);
    setMessage(null);
    try {
      const job = await call(api.POST("/api/v1/reingest", { body: { only_changed: onlyChanged } }));
      live.put(job);
      setMessage({ kind: "success", text: `Started re-ingestion ${shortId(job.id)}.` });
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setStarting(false);
    }
  }

  async function act(job: Job, action: JobAction) {
    setBusy(new Set([job.id]));
    try {
      const { job: result, text } = await runJobAction(job, action);
      live.put(result);
      setMessage({ kind: "success", text });
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(new Set());
    }
  }

  return (
    <section className="panel" aria-labelledby="start-title">
      <h2 id="start-title">Start one now</h2>
      <form className="form-grid" onSubmit={(e) => void start(e)}>
        <fieldset className="choices">
          <legend>Documents</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="scope"
              checked={onlyChanged}
              onChange={() => setOnlyChanged(true)}
            />
            Only those that would come out different
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="scope"
              checked={!onlyChanged}
              onChange={() => setOnlyChanged(false)}
            />
            Everything (re-embeds every document)
          </label>
        </fieldset>
        <div>
          <button type="submit" className="button--primary" disabled={starting}>
            Start re-ingestion
          </button>
        </div>
      </form>
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      <h3>Recent re-ingestions</h3>
      {recent.error && <Notice kind="error">{recent.error}</Notice>}
      {recent.loading && !recent.data ? (
        <Loading what="re-ingestions" />
      ) : jobs.length === 0 ? (
        <p className="empty">No re-ingestion yet.</p>
      ) : (
        <JobList
          jobs={jobs}
          busy={busy}
          onCancel={(job) => void act(job, "cancel")}
          onRetry={(job) => void act(job, "retry")}
        />
      )}
    </section>
  );
}

function SchedulePanel() {
  const schedule = useQuery(
    (signal) => call(api.GET("/api/v1/admin/reingest/schedule", { signal })),
    "schedule",
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const data = schedule.data;

  async function setActive(active: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      await call(api.PATCH("/api/v1/admin/reingest/schedule", { body: { active } }));
      setMessage({
        kind: "success",
        text: active ? "The nightly run is resumed." : "The nightly run is paused.",
      });
      schedule.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  const state = data ? scheduleState(data) : null;
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <div className="section-head">
        <h2 id="schedule-title">Nightly schedule</h2>
        {state && <Badge tone={state.tone}>{state.label}</Badge>}
      </div>
      {schedule.error && <Notice kind="error">{schedule.error}</Notice>}
      {!data ? (
        schedule.loading && <Loading what="the schedule" />
      ) : (
        <>
          <p>
            Runs {cronWords(data.cron, data.timezone)}. {nextRunWords(data)}
          </p>
          <div className="button-row">
            {data.scheduled && (
              <button type="button" disabled={busy} onClick={() => void setActive(!data.active)}>
                {data.active ? "Pause the nightly run" : "Resume the nightly run"}
              </button>
            )}
            {data.deployment_url && (
              <a href={data.deployment_url} target="_blank" rel="noopener noreferrer">
                The deployment in Prefect ↗
              </a>
            )}
          </div>
        </>
      )}
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
    </section>
  );
}
