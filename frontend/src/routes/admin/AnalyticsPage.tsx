/** Usage analytics (admins): per day, per user and per route, charted; CSV downloads. */
import { useState } from "react";

import { api, call } from "../../api/client";
import { download } from "../../api/download";
import { handleError } from "../../api/errors";
import { useQuery } from "../../api/useQuery";
import {
  busiestRoutes,
  dailyTotals,
  errorRate,
  routeLabel,
  userTotals,
} from "../../features/admin/analytics";
import { Bars } from "../../features/admin/charts";
import { formatBytes } from "../../features/ui/format";
import { Loading, Notice } from "../../features/ui/Notice";
import { href, navigate, useRoute } from "../../router";

export const PERIODS = [1, 7, 30, 90] as const;
type Table = "per_day" | "per_route";

export function readDays(params: URLSearchParams): number {
  const days = Number(params.get("days"));
  return (PERIODS as readonly number[]).includes(days) ? days : 7;
}

export function AnalyticsPage() {
  const days = readDays(useRoute().params);
  const report = useQuery(
    (signal) => call(api.GET("/api/v1/admin/analytics", { params: { query: { days } }, signal })),
    `analytics|${days}`,
  );
  const [downloadError, setDownloadError] = useState<string | null>(null);

  async function csv(table: Table) {
    setDownloadError(null);
    try {
      await download(
        `/api/v1/admin/analytics.csv?days=${days}&table=${table}`,
        `ragline-${table.replace("_", "-")}-${days}d.csv`,
      );
    } catch (error) {
      setDownloadError(handleError(error));
    }
  }

  const data = report.data;
  const totals = data ? dailyTotals(data.per_day, days) : [];
  const users = data ? userTotals(data.per_day) : [];
  return (
    <>
      <div className="section-head">
        <h1>Analytics</h1>
        <div className="button-row">
          <button type="button" onClick={() => void csv("per_day")}>
            Download per day (CSV)
          </button>
          <button type="button" onClick={() => void csv("per_route")}>
            Download per route (CSV)
          </button>
        </div>
      </div>
      <form className="filters" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
        <label>
          Period
          <select
            value={days}
            onChange={(e) => navigate(href("/admin/analytics", { days: e.target.value }))}
          >
            {PERIODS.map((n) => (
              <option key={n} value={n}>
                {n === 1 ? "Today" : `Last ${n} days`}
              </option>
            ))}
          </select>
        </label>
      </form>
      {downloadError && <Notice kind="error">{downloadError}</Notice>}
      {report.error && <Notice kind="error">{report.error}</Notice>}
      {!data ? (
        report.loading && <Loading what="analytics" />
      ) : (
        <>
          <section className="panel" aria-labelledby="days-title">
            <h2 id="days-title">Per day</h2>
            <Bars
              label="Requests per day"
              data={totals}
              category="day"
              series={[{ key: "requests", label: "Requests" }]}
            />
            <Bars
              label="Uploads, questions and documents per day"
              data={totals}
              category="day"
              series={[
                { key: "uploads", label: "Uploads" },
                { key: "questions", label: "Questions" },
                { key: "documents", label: "Documents ingested" },
                { key: "failed", label: "Documents failed" },
              ]}
            />
          </section>
          <section className="panel" aria-labelledby="users-title">
            <h2 id="users-title">Per user</h2>
            {users.length === 0 ? (
              <p className="empty">No usage in this period.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">Usage per user over the period</caption>
                  <thead>
                    <tr>
                      <th scope="col">User</th>
                      <th scope="col">Requests</th>
                      <th scope="col">Uploads</th>
                      <th scope="col">Uploaded</th>
                      <th scope="col">Documents</th>
                      <th scope="col">Failed</th>
                      <th scope="col">Questions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.map((u) => (
                      <tr key={u.user}>
                        <th scope="row" data-label="User" className="cell-name">
                          {u.user === "-" ? "(not signed in)" : u.user}
                        </th>
                        <td data-label="Requests">{u.requests}</td>
                        <td data-label="Uploads">{u.uploads}</td>
                        <td data-label="Uploaded">{formatBytes(u.bytes)}</td>
                        <td data-label="Documents">{u.documents}</td>
                        <td data-label="Failed">{u.failed}</td>
                        <td data-label="Questions">{u.questions}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="panel" aria-labelledby="routes-title">
            <h2 id="routes-title">Per route</h2>
            {data.per_route.length === 0 ? (
              <p className="empty">No requests in this period.</p>
            ) : (
              <>
                <Bars
                  label="Latency of the busiest routes (p50 and p95)"
                  data={busiestRoutes(data.per_route).map((r) => ({
                    route: routeLabel(r),
                    p50: r.p50_ms,
                    p95: r.p95_ms,
                  }))}
                  category="route"
                  unit=" ms"
                  series={[
                    { key: "p50", label: "p50" },
                    { key: "p95", label: "p95" },
                  ]}
                />
                <div className="table-wrap">
                  <table className="table">
                    <caption className="visually-hidden">
                      Calls, errors and latency per route
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Route</th>
                        <th scope="col">Calls</th>
                        <th scope="col">Errors (5xx)</th>
                        <th scope="col">4xx</th>
                        <th scope="col">p50</th>
                        <th scope="col">p95</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.per_route.map((r) => (
                        <tr key={routeLabel(r)}>
                          <th scope="row" data-label="Route" className="cell-name mono">
                            {routeLabel(r)}
                          </th>
                          <td data-label="Calls">{r.count}</td>
                          <td data-label="Errors (5xx)">
                            {r.errors} <span className="muted">({errorRate(r)})</span>
                          </td>
                          <td data-label="4xx">{r.client_errors}</td>
                          <td data-label="p50">{r.p50_ms === null ? "–" : `${r.p50_ms} ms`}</td>
                          <td data-label="p95">{r.p95_ms === null ? "–" : `${r.p95_ms} ms`}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
