/** System health (admins): every component, the workers, the queue, the disk, the last hour. */
import { useEffect } from "react";

import { api, call } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { TimeLines } from "../../features/admin/charts";
import {
  ago,
  chartedComponents,
  chartPoints,
  componentLabel,
  uptime,
} from "../../features/admin/health";
import { Badge } from "../../features/ui/Badge";
import { formatBytes, formatDuration, percent } from "../../features/ui/format";
import { Loading, Notice } from "../../features/ui/Notice";
import { useNow } from "../../features/ui/useNow";

export const HEALTH_REFRESH_MS = 15_000;

export function HealthPage() {
  const health = useQuery((signal) => call(api.GET("/api/v1/admin/health", { signal })), "health");
  const now = useNow(true);
  const { reload } = health;
  useEffect(() => {
    const timer = setInterval(() => reload(true), HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const data = health.data;
  return (
    <>
      <div className="section-head">
        <h1>System health</h1>
        <button type="button" onClick={() => reload(true)}>
          Refresh
        </button>
      </div>
      {health.error && <Notice kind="error">{health.error}</Notice>}
      {!data ? (
        health.loading && <Loading what="system health" />
      ) : (
        <>
          <ul className="cards" aria-label="Components">
            {Object.entries(data.components).map(([name, c]) => {
              const up = uptime(data.history, name);
              return (
                <li
                  key={name}
                  className="card"
                  aria-label={`${componentLabel(name)}: ${c.ok ? "up" : "down"}`}
                >
                  <div className="card__head">
                    <strong>{componentLabel(name)}</strong>
                    <Badge tone={c.ok ? "good" : c.required ? "bad" : "warn"}>
                      {c.ok ? "Up" : "Down"}
                    </Badge>
                  </div>
                  <span className="muted">
                    {c.latency_ms !== null ? `${c.latency_ms} ms` : "–"}
                    {up !== null && ` · up ${percent(up)} of the last hour`}
                  </span>
                  {c.detail && (
                    <span className={c.ok ? "muted card__detail" : "problem card__detail"}>
                      {c.detail}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>

          <section className="panel" aria-labelledby="queue-title">
            <h2 id="queue-title">Queue and disk</h2>
            <dl className="stats">
              <div>
                <dt>Waiting</dt>
                <dd>{data.queue.scheduled}</dd>
              </div>
              <div>
                <dt>Late</dt>
                <dd>{data.queue.late}</dd>
              </div>
              <div>
                <dt>Running</dt>
                <dd>{data.queue.running}</dd>
              </div>
              <div>
                <dt>Oldest waiting</dt>
                <dd>
                  {data.queue.oldest_waiting_s === null
                    ? "–"
                    : formatDuration(data.queue.oldest_waiting_s)}
                </dd>
              </div>
              <div>
                <dt>Data disk free</dt>
                <dd>
                  {formatBytes(data.disk.free_bytes)}{" "}
                  <span className="muted">of {formatBytes(data.disk.total_bytes)}</span>
                </dd>
              </div>
            </dl>
          </section>

          <section className="panel" aria-labelledby="history-title">
            <h2 id="history-title">The last hour</h2>
            {data.history.length < 2 ? (
              <p className="muted">
                Samples are taken every {Math.round(data.sample_every_s)} s; the chart fills in as
                they come.
              </p>
            ) : (
              <>
                <TimeLines
                  label="Latency of each component over the last hour"
                  data={chartPoints(data.history)}
                  series={chartedComponents(data.history).map((name) => ({
                    key: name,
                    label: componentLabel(name),
                  }))}
                  unit=" ms"
                />
                <TimeLines
                  label="Jobs waiting and running over the last hour"
                  data={chartPoints(data.history)}
                  series={[
                    { key: "scheduled", label: "Waiting" },
                    { key: "running", label: "Running" },
                  ]}
                  unit=""
                />
              </>
            )}
          </section>

          <section className="panel" aria-labelledby="workers-title">
            <h2 id="workers-title">Who picks up runs</h2>
            {data.workers.length === 0 ? (
              <p className="problem">Prefect cannot say: it is not reachable.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">
                    Deployments' pollers and work-pool workers
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Last seen</th>
                      <th scope="col">State</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.workers.map((worker) => (
                      <tr key={`${worker.kind}-${worker.name}`}>
                        <th scope="row" className="cell-name" data-label="Name">
                          {worker.url ? (
                            <a href={worker.url} target="_blank" rel="noopener noreferrer">
                              {worker.name} ↗
                            </a>
                          ) : (
                            worker.name
                          )}
                        </th>
                        <td data-label="Kind">
                          {worker.kind === "deployment" ? "Deployment (serve)" : "Pool worker"}
                        </td>
                        <td data-label="Last seen">{ago(worker.last_seen, now)}</td>
                        <td data-label="State">
                          <Badge tone={worker.ok ? "good" : "bad"}>
                            {worker.ok ? "Polling" : "Silent"}
                          </Badge>{" "}
                          <span className="muted">{worker.status ?? ""}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p className="links">
              In Prefect:{" "}
              <a href={data.links.work_pool} target="_blank" rel="noopener noreferrer">
                work pool ↗
              </a>{" "}
              ·{" "}
              <a href={data.links.runs} target="_blank" rel="noopener noreferrer">
                runs ↗
              </a>
              {Object.entries(data.links.deployments).map(([name, url]) => (
                <span key={name}>
                  {" · "}
                  <a href={url} target="_blank" rel="noopener noreferrer">
                    {name} ↗
                  </a>
                </span>
              ))}
            </p>
          </section>
        </>
      )}
    </>
  );
}
