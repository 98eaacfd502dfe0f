/**
 * Which parts of the stack are up, from GET /readyz every 10 s, so a user knows why work
 * waits (e.g. no ingestion worker). The API counts as up whenever /readyz answers at all.
 */
import { useEffect, useState } from "react";

import { api } from "../../api/client";
import type { LiveStatus } from "../../api/live";
import type { ComponentHealth, Readiness } from "../../api/types";

export const READY_INTERVAL_MS = 10_000;

const NAMES: Record<string, string> = {
  api: "API",
  database: "Database",
  prefect: "Prefect",
  worker: "Ingestion worker",
  chroma: "Chroma",
  smtp: "Mail server",
  disk: "Data disk",
};

interface Check {
  name: string;
  label: string;
  health: ComponentHealth;
}

export function nameOf(component: string): string {
  return NAMES[component] ?? component.charAt(0).toUpperCase() + component.slice(1);
}

export function checksOf(readiness: Readiness | null): Check[] {
  if (!readiness) {
    return [
      {
        name: "api",
        label: "API",
        health: { ok: false, latency_ms: null, detail: "Not answering.", required: true },
      },
    ];
  }
  const api = {
    name: "api",
    label: "API",
    health: { ok: true, latency_ms: null, detail: null, required: true },
  };
  return [
    api,
    ...Object.entries(readiness.components).map(([name, health]) => ({
      name,
      label: nameOf(name),
      health,
    })),
  ];
}

function useReadiness(): { checks: Check[] | null } {
  const [checks, setChecks] = useState<Check[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    const controller = new AbortController();
    async function load() {
      let readiness: Readiness | null = null;
      try {
        const { data, error } = await api.GET("/readyz", { signal: controller.signal });
        // 503 carries the same body: which component is down, and why.
        readiness = data ?? (isReadiness(error) ? error : null);
      } catch {
        readiness = null; // the API itself is unreachable
      }
      if (!cancelled) setChecks(checksOf(readiness));
    }
    void load();
    const timer = setInterval(() => void load(), READY_INTERVAL_MS);
    return () => {
      cancelled = true;
      controller.abort();
      clearInterval(timer);
    };
  }, []);
  return { checks };
}

function isReadiness(value: unknown): value is Readiness {
  return !!value && typeof value === "object" && "components" in value;
}

const LIVE_WORDS: Record<LiveStatus, string> = {
  connecting: "connecting",
  open: "on",
  polling: "reconnecting (polling every 2 s)",
  stopped: "off",
};

export function SystemStrip({ live }: { live?: LiveStatus }) {
  const { checks } = useReadiness();
  return (
    <aside className="system-strip" aria-label="System status">
      <ul aria-live="polite">
        {checks === null ? (
          <li className="muted">Checking services…</li>
        ) : (
          checks.map(({ name, label, health }) => (
            <li
              key={name}
              className={health.ok ? "up" : health.required ? "down" : "waiting"}
              title={health.detail ?? undefined}
            >
              <span className="dot" aria-hidden="true" />
              {label}: {health.ok ? "up" : "down"}
              {!health.ok && health.detail && (
                <span className="system-strip__detail"> — {health.detail}</span>
              )}
            </li>
          ))
        )}
        {live && (
          <li className={live === "open" ? "up" : "waiting"}>
            <span className="dot" aria-hidden="true" />
            Live updates: {LIVE_WORDS[live]}
          </li>
        )}
      </ul>
    </aside>
  );
}
