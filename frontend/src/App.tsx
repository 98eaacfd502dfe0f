/** The app shell: sign-in gate, live job feed, upload queue, navigation and pages. */
import { useEffect, useRef, useSyncExternalStore } from "react";

import { api, call } from "./api/client";
import { session } from "./api/session";
import { useQuery } from "./api/useQuery";
import { LiveJobsProvider, useLiveJobs } from "./features/live/LiveJobsProvider";
import { SystemStrip } from "./features/system/SystemStrip";
import { UploadProvider } from "./features/upload/UploadProvider";
import { ApiKeysPage } from "./routes/ApiKeysPage";
import { AskPage } from "./routes/AskPage";
import { DocumentsPage } from "./routes/DocumentsPage";
import { JobsPage } from "./routes/JobsPage";
import { LoginPage } from "./routes/LoginPage";
import { UploadPage } from "./routes/UploadPage";
import { href, NavLink, useRoute } from "./router";

const PAGES = [
  { path: "/upload", title: "Upload", Page: UploadPage },
  { path: "/jobs", title: "Jobs", Page: JobsPage },
  { path: "/documents", title: "Documents", Page: DocumentsPage },
  { path: "/ask", title: "Ask", Page: AskPage },
  { path: "/keys", title: "API keys", Page: ApiKeysPage },
] as const;

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

function Shell() {
  const { path } = useRoute();
  const page = PAGES.find((p) => p.path === path) ?? (path === "/" ? PAGES[0] : null);
  const live = useLiveJobs();
  const me = useQuery((signal) => call(api.GET("/api/v1/me", { signal })), "me");
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
  }, [page]);

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
            {PAGES.map((p) => (
              <li key={p.path}>
                <NavLink to={href(p.path)} current={p === page}>
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
          <button type="button" onClick={() => session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <SystemStrip live={live.status} />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {page ? (
          <page.Page />
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
