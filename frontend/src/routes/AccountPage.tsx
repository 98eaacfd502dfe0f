/** My account: e-mail and notifications, password, webhook, and the log of what was sent. */
import { type FormEvent, useEffect, useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { NotifyChoice, WebhookSaved } from "../api/types";
import { useQuery } from "../api/useQuery";
import { shortId } from "../features/jobs/JobList";
import { NOTIFY_WORDS } from "../features/admin/users";
import { Badge } from "../features/ui/Badge";
import { formatTime } from "../features/ui/format";
import { Loading, Notice } from "../features/ui/Notice";
import { href } from "../router";

type Message = { kind: "error" | "success"; text: string } | null;

export function AccountPage() {
  return (
    <>
      <h1>My account</h1>
      <ProfileForm />
      <PasswordForm />
      <WebhookForm />
      <DeliveryLog />
    </>
  );
}

function ProfileForm() {
  const me = useQuery((signal) => call(api.GET("/api/v1/me", { signal })), "me");
  const [email, setEmail] = useState("");
  const [notify, setNotify] = useState<NotifyChoice>("all");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    if (!me.data) return;
    setEmail(me.data.email ?? "");
    setNotify(me.data.notify);
  }, [me.data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await call(api.PATCH("/api/v1/me", { body: { email: email.trim() || null, notify } }));
      setMessage({ kind: "success", text: "Saved." });
      me.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">E-mail and notifications</h2>
      {me.loading && !me.data ? (
        <Loading what="your account" />
      ) : (
        <form className="form-grid" onSubmit={(e) => void save(e)}>
          <label htmlFor="account-email">E-mail</label>
          <input
            id="account-email"
            type="email"
            value={email}
            maxLength={254}
            placeholder="you@example.com"
            onChange={(e) => setEmail(e.target.value)}
          />
          <fieldset className="choices">
            <legend>Tell me when</legend>
            {(Object.keys(NOTIFY_WORDS) as NotifyChoice[]).map((choice) => (
              <label key={choice} className="checkbox">
                <input
                  type="radio"
                  name="notify"
                  value={choice}
                  checked={notify === choice}
                  onChange={() => setNotify(choice)}
                />
                {NOTIFY_WORDS[choice]}
              </label>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="button--primary" disabled={busy}>
              Save
            </button>
          </div>
        </form>
      )}
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
    </section>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const mismatch = again !== "" && next !== again;

  async function change(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setMessage(null);
    try {
      await call(
        api.POST("/api/v1/me/password", {
          body: { current_password: current, new_password: next },
        }),
      );
      setCurrent("");
      setNext("");
      setAgain("");
      setMessage({
        kind: "success",
        text: "Password changed. You stay signed in here; every other sign-in has ended.",
      });
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="form-grid" onSubmit={(e) => void change(e)}>
        <label htmlFor="password-current">Current password</label>
        <input
          id="password-current"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <label htmlFor="password-new">New password</label>
        <input
          id="password-new"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <label htmlFor="password-again">New password again</label>
        <input
          id="password-again"
          type="password"
          autoComplete="new-password"
          required
          value={again}
          aria-invalid={mismatch}
          onChange={(e) => setAgain(e.target.value)}
        />
        {mismatch && <p className="problem">The two new passwords differ.</p>}
        <div>
          <button type="submit" className="button--primary" disabled={busy || mismatch}>
            Change password
          </button>
        </div>
      </form>
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
    </section>
  );
}

function WebhookForm() {
  const hook = useQuery((signal) => call(api.GET("/api/v1/me/webhook", { signal })), "webhook");
  const [url, setUrl] = useState("");
  const [saved, setSaved] = useState<WebhookSaved | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => setUrl(hook.data?.url ?? ""), [hook.data]);

  async function save(newSecret: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      const result = await call(
        api.PUT("/api/v1/me/webhook", { body: { url: url.trim(), new_secret: newSecret } }),
      );
      setSaved(result);
      setMessage({ kind: "success", text: "Webhook saved." });
      hook.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setMessage(null);
    try {
      await call(api.DELETE("/api/v1/me/webhook"));
      setSaved(null);
      setMessage({ kind: "success", text: "Webhook removed." });
      hook.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="webhook-title">
      <h2 id="webhook-title">Webhook</h2>
      <p className="muted">
        When one of your jobs ends, ragline POSTs it as JSON to this URL, signed:{" "}
        <span className="mono">X-Ragline-Signature: sha256=HMAC-SHA256(secret, body)</span>.
      </p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <label htmlFor="webhook-url">URL</label>
        <input
          id="webhook-url"
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.org/ragline-hook"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        {hook.data?.secret_hint && (
          <p className="muted">
            Signing secret starts with <span className="mono">{hook.data.secret_hint}…</span>
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button--primary" disabled={busy || !url.trim()}>
            Save webhook
          </button>
          {hook.data?.url && (
            <>
              <button type="button" disabled={busy} onClick={() => void save(true)}>
                New secret
              </button>
              <button
                type="button"
                className="button--danger-quiet"
                disabled={busy}
                onClick={() => void remove()}
              >
                Remove
              </button>
            </>
          )}
        </div>
      </form>
      {saved?.secret && (
        <div className="new-key">
          <label htmlFor="webhook-secret">The signing secret (shown this once)</label>
          <input id="webhook-secret" readOnly className="mono" value={saved.secret} />
        </div>
      )}
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
    </section>
  );
}

const STATE_TONE = { sent: "good", pending: "warn", failed: "bad" } as const;

function DeliveryLog() {
  const log = useQuery(
    (signal) =>
      call(api.GET("/api/v1/me/notifications", { params: { query: { limit: 20 } }, signal })),
    "notifications",
  );
  const rows = log.data?.data ?? [];
  return (
    <section className="panel" aria-labelledby="log-title">
      <div className="section-head">
        <h2 id="log-title">Notifications sent</h2>
        <button type="button" onClick={() => log.reload()}>
          Refresh
        </button>
      </div>
      {log.error && <Notice kind="error">{log.error}</Notice>}
      {log.loading && !log.data ? (
        <Loading what="notifications" />
      ) : rows.length === 0 && !log.error ? (
        <p className="empty">No notifications yet: they come when your jobs end.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your notifications, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">By</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => (
                <tr key={n.id}>
                  <th scope="row" data-label="Job">
                    <a href={href(`/jobs/${n.job_id}`)}>job {shortId(n.job_id)}</a>
                  </th>
                  <td data-label="By" className="cell-name">
                    {n.channel === "email" ? "E-mail" : "Webhook"}
                    <span className="cell-note muted">{n.target}</span>
                  </td>
                  <td data-label="State">
                    <Badge tone={STATE_TONE[n.state]}>
                      {n.state === "pending" && n.attempts > 0 ? "retrying" : n.state}
                    </Badge>
                    {n.last_error && <span className="cell-note problem">{n.last_error}</span>}
                  </td>
                  <td data-label="Attempts">
                    {n.attempts}
                    {n.last_status !== null && (
                      <span className="cell-note muted">HTTP {n.last_status}</span>
                    )}
                  </td>
                  <td data-label="When">{formatTime(n.sent_at ?? n.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
