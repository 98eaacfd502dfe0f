/** The app shell: sign-in gate, live job feed, upload queue, navigation and pages. */
import {
  type ComponentType,
  lazy,
  type ReactNode,
  Suspense,
  useEffect,
  useRef,
  useSyncExternalStore,
} from "react";

import { api, call } from "./api/client";
import { session } from "./api/session";
import { useQuery } from "./api/useQuery";
import { LiveJobsProvider, useLiveJobs } from "./features/live/LiveJobsProvider";
import { SystemStrip } from "./features/system/SystemStrip";
import { Loading } from "./features/ui/Notice";
import { UploadProvider } from "./features/upload/UploadProvider";
import { AccountPage } from "./routes/AccountPage";
import { ReingestPage } from "./routes/admin/ReingestPage";
import { UsersPage } from "./routes/admin/UsersPage";
import { ApiKeysPage } from "./routes/ApiKeysPage";
import { AskPage } from "./routes/AskPage";
import { DocumentsPage } from "./routes/DocumentsPage";
import { JobDetailPage } from "./routes/JobDetailPage";
import { JobsPage } from "./routes/JobsPage";
import { LoginPage } from "./routes/LoginPage";
import { UploadPage } from "./routes/UploadPage";
import { href, NavLink, useRoute } from "./router";

interface PageEntry {
  path: string;
  title: string;
  Page: ComponentType;
  admin?: boolean;
}

// The charts (recharts) load with the pages that draw them, not with the app.
const HealthPage = lazy(() =>
  import("./routes/admin/HealthPage").then((m) => ({ default: m.HealthPage })),
);
const AnalyticsPage = lazy(() =>
  import("./routes/admin/AnalyticsPage").then((m) => ({ default: m.AnalyticsPage })),
);

const PAGES: readonly PageEntry[] = [
  { path: "/upload", title: "Upload", Page: UploadPage },
  { path: "/jobs", title: "Jobs", Page: JobsPage },
  { path: "/documents", title: "Documents", Page: DocumentsPage },
  { path: "/ask", title: "Ask", Page: AskPage },
  { path: "/keys", title: "API keys", Page: ApiKeysPage },
  { path: "/account", title: "My account", Page: AccountPage },
  { path: "/admin/health", title: "System health", Page: HealthPage, admin: true },
  { path: "/admin/analytics", title: "Analytics", Page: AnalyticsPage, admin: true },
  { path: "/admin/users", title: "Users", Page: UsersPage, admin: true },
  { path: "/admin/reingest", title: "Re-ingestion", Page: ReingestPage, admin: true },
];

const JOB_PATH = /^\/jobs\/([^/]+)$/;

/** The page for a path: one of PAGES, a job's own page, or null (not found). */
export function pageFor(
  path: string,
): { title: string; body: ReactNode; entry?: PageEntry } | null {
  const entry = PAGES.find((p) => p.path === path) ?? (path === "/" ? PAGES[0] : undefined);
  if (entry) return { title: entry.title, body: <entry.Page />, entry };
  const job = JOB_PATH.exec(path);
  if (job?.[1]) {
    const id = decodeURIComponent(job[1]);
    return { title: `Job ${id.slice(0, 8)}`, body: <JobDetailPage key={id} jobId={id} /> };
  }
  return null;
}

export function App() {
  const { token, reason } = useSyncExternalStore(session.subscribe, session.get);
  if (!token) return <LoginPage reason={reason} />;
  return (
    <LiveJobsProvider token={token}>
      <UploadProvider>
        <Shell />
      </UploadProvider>
    </LiveJobsProvider>
  );
}

/** Ends the token on the server too, so a copy of it stops working; signs out whatever happens. */
async function signOut() {
  try {
    await api.POST("/api/v1/auth/logout");
  } catch {
    // unreachable server: the token still leaves this browser
  }
  session.signOut();
}

function Shell() {
  const { path } = useRoute();
  const page = pageFor(path);
  const live = useLiveJobs();
  const me = useQuery((signal) => call(api.GET("/api/v1/me", { signal })), "me");
  const isAdmin = me.data?.is_admin ?? false;
  const shown = PAGES.filter((p) => !p.admin || isAdmin);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigating, move focus to the new page so screen readers start there.
  useEffect(() => {
    document.title = page ? `${page.title} · ragline` : "ragline";
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [page?.title]);

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault(); // "#main" would be read as a route by the hash router
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="header">
        <a className="brand" href={href("/upload")}>
          ragline
        </a>
        <nav aria-label="Main">
          <ul>
            {shown.map((p) => (
              <li key={p.path} className={p.admin ? "nav--admin" : undefined}>
                <NavLink to={href(p.path)} current={p === page?.entry}>
                  {p.title}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header__user">
          {me.data && (
            <span className="muted">
              {me.data.username}
              {me.data.is_admin ? " (admin)" : ""}
            </span>
          )}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <SystemStrip live={live.status} />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {page?.entry?.admin && me.data && !isAdmin ? (
          <>
            <h1>{page.title}</h1>
            <p>Only administrators can see this page.</p>
          </>
        ) : page ? (
          <Suspense fallback={<Loading what="the page" />}>{page.body}</Suspense>
        ) : (
          <>
            <h1>Page not found</h1>
            <p>
              <a href={href("/upload")}>Go to uploads</a>
            </p>
          </>
        )}
      </main>
    </div>
  );
}
