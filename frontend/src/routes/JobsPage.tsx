/** Job history: filters, paging, live state, cancel and retry. */
import { useEffect, useMemo, useRef, useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { Job, JobKind, JobState } from "../api/types";
import { type JobAction, runJobAction } from "../features/jobs/actions";
import { JobList } from "../features/jobs/JobList";
import { JOB_STATE_LABELS } from "../features/jobs/words";
import { useLiveJobs } from "../features/live/LiveJobsProvider";
import { Loading, Notice } from "../features/ui/Notice";
import { Pager } from "../features/ui/Pager";
import { useQuery } from "../api/useQuery";
import { href, navigate, useRoute } from "../router";

export const JOBS_PAGE_SIZE = 20;
const STATES = Object.keys(JOB_STATE_LABELS) as JobState[];
const KINDS: JobKind[] = ["ingest", "reingest"];

interface Filters {
  state: JobState | null;
  kind: JobKind | null;
  offset: number;
}

function useJobs({ state, kind, offset }: Filters) {
  return useQuery(
    (signal) =>
      call(
        api.GET("/api/v1/jobs", {
          params: {
            query: { limit: JOBS_PAGE_SIZE, offset, state: state ? [state] : null, kind },
          },
          signal,
        }),
      ),
    `${state}|${kind}|${offset}`,
  );
}

function readFilters(params: URLSearchParams): Filters {
  const state = params.get("state");
  const kind = params.get("kind");
  return {
    state: STATES.includes(state as JobState) ? (state as JobState) : null,
    kind: KINDS.includes(kind as JobKind) ? (kind as JobKind) : null,
    offset: Math.max(0, Number(params.get("offset")) || 0),
  };
}

export function JobsPage() {
  const { params } = useRoute();
  const filters = readFilters(params);
  const highlight = params.get("job");
  const query = useJobs(filters);
  const live = useLiveJobs();
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);

  // The page's rows, with the live feed's newer copy of each job.
  const jobs = useMemo(
    () => (query.data?.data ?? []).map((job) => live.jobs[job.id] ?? job),
    [query.data, live.jobs],
  );

  useNewJobsReload(filters, query.data ? jobs : null, live.jobs, query.reload);

  const highlightShown = highlight !== null && jobs.some((job) => job.id === highlight);
  useEffect(() => {
    if (highlightShown) {
      document.getElementById(`job-${highlight}`)?.scrollIntoView?.({ block: "center" });
    }
  }, [highlight, highlightShown]);

  function go(next: Partial<Filters>) {
    const merged = { ...filters, ...next };
    navigate(
      href("/jobs", { state: merged.state, kind: merged.kind, offset: merged.offset || null }),
    );
  }

  async function act(job: Job, action: JobAction) {
    setBusy((ids) => new Set(ids).add(job.id));
    setMessage(null);
    try {
      const { job: result, text } = await runJobAction(job, action);
      live.put(result);
      setMessage({ kind: "success", text });
      if (action === "retry") query.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy((ids) => {
        const next = new Set(ids);
        next.delete(job.id);
        return next;
      });
    }
  }

  return (
    <>
      <h1>Jobs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter jobs">
        <label>
          State
          <select
            value={filters.state ?? ""}
            onChange={(e) => go({ state: (e.target.value || null) as JobState | null, offset: 0 })}
          >
            <option value="">Any</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {JOB_STATE_LABELS[state]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select
            value={filters.kind ?? ""}
            onChange={(e) => go({ kind: (e.target.value || null) as JobKind | null, offset: 0 })}
          >
            <option value="">Any</option>
            <option value="ingest">Ingestion</option>
            <option value="reingest">Re-ingestion</option>
          </select>
        </label>
        <button type="button" onClick={() => query.reload()}>
          Refresh
        </button>
      </form>
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {query.error && <Notice kind="error">{query.error}</Notice>}
      {query.loading && !query.data ? (
        <Loading what="jobs" />
      ) : jobs.length === 0 && !query.error ? (
        <p className="empty">
          {filters.state || filters.kind
            ? "No jobs match these filters."
            : "No jobs yet. Upload files to start one."}
        </p>
      ) : (
        <JobList
          jobs={jobs}
          busy={busy}
          highlight={highlight}
          onCancel={(job) => void act(job, "cancel")}
          onRetry={(job) => void act(job, "retry")}
        />
      )}
      {query.data && (
        <Pager
          offset={filters.offset}
          limit={JOBS_PAGE_SIZE}
          count={query.data.count}
          shown={jobs.length}
          onPage={(offset) => go({ offset })}
        />
      )}
    </>
  );
}

/**
 * Reloads the first page, quietly, when the live feed reports a job it does not show yet
 * (an upload in another tab, a retry) and that belongs on it.
 */
function useNewJobsReload(
  filters: Filters,
  shown: readonly Job[] | null,
  live: Readonly<Record<string, Job>>,
  reload: (quiet?: boolean) => void,
) {
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (shown === null || filters.offset !== 0) return;
    const shownIds = new Set(shown.map((job) => job.id));
    const oldest = shown.length >= JOBS_PAGE_SIZE ? shown[shown.length - 1]?.created_at : undefined;
    const fresh = Object.values(live).filter(
      (job) =>
        !shownIds.has(job.id) &&
        !asked.current.has(job.id) &&
        (!filters.state || job.state === filters.state) &&
        (!filters.kind || job.kind === filters.kind) &&
        (oldest === undefined || Date.parse(job.created_at) > Date.parse(oldest)),
    );
    if (fresh.length === 0) return;
    for (const job of fresh) asked.current.add(job.id);
    reload(true);
  }, [filters.offset, filters.state, filters.kind, shown, live, reload]);
}
