/** API keys: create (shown once), list, revoke. */
import { type FormEvent, useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { ApiKey, ApiKeyCreated } from "../api/types";
import { useQuery } from "../api/useQuery";
import { NewKey } from "../features/apiKeys/NewKey";
import { ConfirmDialog } from "../features/ui/ConfirmDialog";
import { formatTime } from "../features/ui/format";
import { Loading, Notice } from "../features/ui/Notice";

function useApiKeys() {
  return useQuery((signal) => call(api.GET("/api/v1/api-keys", { signal })), "keys");
}

export function ApiKeysPage() {
  const keys = useApiKeys();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      setCreated(await call(api.POST("/api/v1/api-keys", { body: { name: name.trim() } })));
      setName("");
      keys.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    if (!revoking) return;
    setBusy(true);
    try {
      await call(
        api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: revoking.id } } }),
      );
      setMessage({ kind: "success", text: `Revoked “${revoking.name}”.` });
      keys.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  }

  const list = keys.data?.data ?? [];
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">Keys let scripts use the API as you. Revoke one you no longer need.</p>
      {created ? (
        <NewKey created={created} onDone={() => setCreated(null)} />
      ) : (
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            required
            maxLength={100}
            value={name}
            placeholder="e.g. nightly sync"
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button--primary" disabled={busy || !name.trim()}>
            Create key
          </button>
        </form>
      )}
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {keys.error && <Notice kind="error">{keys.error}</Notice>}
      {keys.loading && !keys.data ? (
        <Loading what="API keys" />
      ) : list.length === 0 && !keys.error ? (
        <p className="empty">No API keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((key) => (
                <tr key={key.id}>
                  <th scope="row" data-label="Name">
                    {key.name}
                  </th>
                  <td data-label="Starts with">
                    <span className="mono">{key.prefix}…</span>
                  </td>
                  <td data-label="Created">{formatTime(key.created_at)}</td>
                  <td data-label="Last used">
                    {key.last_used_at ? formatTime(key.last_used_at) : "never"}
                  </td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button--danger-quiet"
                      onClick={() => setRevoking(key)}
                      aria-label={`Revoke ${key.name}`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke"
          danger
          busy={busy}
          onConfirm={() => void revoke()}
          onCancel={() => setRevoking(null)}
        >
          <p>Scripts using this key stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
