/** Users (admins): list, create, disable or enable, reset a password, grant admin, quotas. */
import { type FormEvent, useState } from "react";

import { api, call } from "../../api/client";
import { handleError } from "../../api/errors";
import type { components } from "../../api/schema";
import type { User } from "../../api/types";
import { useQuery } from "../../api/useQuery";
import { parseQuota, quotaInGib, quotaWords } from "../../features/admin/users";
import { Badge } from "../../features/ui/Badge";
import { ConfirmDialog } from "../../features/ui/ConfirmDialog";
import { FormDialog } from "../../features/ui/FormDialog";
import { formatTime } from "../../features/ui/format";
import { Loading, Notice } from "../../features/ui/Notice";

type UserUpdate = components["schemas"]["UserUpdate"];
type Message = { kind: "error" | "success"; text: string } | null;
type Editing =
  | { kind: "password"; user: User }
  | { kind: "quotas"; user: User }
  | { kind: "disable"; user: User };

export const USERS_PAGE_SIZE = 200;

export function UsersPage() {
  const users = useQuery(
    (signal) =>
      call(api.GET("/api/v1/users", { params: { query: { limit: USERS_PAGE_SIZE } }, signal })),
    "users",
  );
  const me = useQuery((signal) => call(api.GET("/api/v1/me", { signal })), "me");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  async function change(user: User, body: UserUpdate, done: string): Promise<boolean> {
    setBusy(true);
    setMessage(null);
    try {
      await call(
        api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: user.id } }, body }),
      );
      setMessage({ kind: "success", text: done });
      users.reload(true);
      return true;
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  const list = users.data?.data ?? [];
  return (
    <>
      <h1>Users</h1>
      <NewUserForm
        onCreated={(name) => {
          setMessage({ kind: "success", text: `Created ${name}.` });
          users.reload(true);
        }}
      />
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {users.error && <Notice kind="error">{users.error}</Notice>}
      {users.loading && !users.data ? (
        <Loading what="users" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Every user</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Quota</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((user) => {
                const self = user.id === me.data?.id;
                return (
                  <tr key={user.id} aria-label={`User ${user.username}`}>
                    <th scope="row" className="cell-name" data-label="User">
                      {user.username}
                      {user.disabled && (
                        <>
                          {" "}
                          <Badge tone="bad">Disabled</Badge>
                        </>
                      )}
                      <span className="cell-note muted">{user.email ?? "no e-mail"}</span>
                    </th>
                    <td data-label="Role">{user.is_admin ? "Admin" : "User"}</td>
                    <td data-label="Quota">{quotaWords(user)}</td>
                    <td data-label="Created">{formatTime(user.created_at)}</td>
                    <td className="cell-actions">
                      <button
                        type="button"
                        disabled={busy || self}
                        onClick={() =>
                          void change(
                            user,
                            { is_admin: !user.is_admin },
                            user.is_admin
                              ? `${user.username} is no longer an admin.`
                              : `${user.username} is now an admin.`,
                          )
                        }
                      >
                        {user.is_admin ? "Revoke admin" : "Make admin"}
                      </button>
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => setEditing({ kind: "quotas", user })}
                      >
                        Quotas
                      </button>
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => setEditing({ kind: "password", user })}
                      >
                        Reset password
                      </button>
                      {user.disabled ? (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            void change(user, { disabled: false }, `${user.username} is enabled.`)
                          }
                        >
                          Enable
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button--danger-quiet"
                          disabled={busy || self}
                          onClick={() => setEditing({ kind: "disable", user })}
                        >
                          Disable
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {editing?.kind === "disable" && (
        <ConfirmDialog
          title={`Disable ${editing.user.username}?`}
          confirmLabel="Disable"
          danger
          busy={busy}
          onConfirm={() =>
            void change(
              editing.user,
              { disabled: true },
              `${editing.user.username} is disabled.`,
            ).then(() => setEditing(null))
          }
          onCancel={() => setEditing(null)}
        >
          <p>
            They are signed out everywhere at once, and their API keys stop working until you enable
            them again. Their documents stay.
          </p>
        </ConfirmDialog>
      )}
      {editing?.kind === "password" && (
        <PasswordDialog
          user={editing.user}
          busy={busy}
          onSave={(password) =>
            void change(
              editing.user,
              { password },
              `${editing.user.username}'s password was reset; their sign-ins ended.`,
            ).then((ok) => ok && setEditing(null))
          }
          onCancel={() => setEditing(null)}
        />
      )}
      {editing?.kind === "quotas" && (
        <QuotaDialog
          user={editing.user}
          busy={busy}
          onSave={(body) =>
            void change(editing.user, body, `${editing.user.username}'s quotas were saved.`).then(
              (ok) => ok && setEditing(null),
            )
          }
          onCancel={() => setEditing(null)}
        />
      )}
    </>
  );
}

function NewUserForm({ onCreated }: { onCreated(username: string): void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        username: username.trim(),
        password,
        email: email.trim() || null,
        is_admin: isAdmin,
      };
      const created = await call(api.POST("/api/v1/users", { body }));
      setUsername("");
      setPassword("");
      setEmail("");
      setIsAdmin(false);
      onCreated(created.username);
    } catch (cause) {
      setError(handleError(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel">
      <summary>New user</summary>
      <form className="form-grid" onSubmit={(e) => void create(e)} aria-label="New user">
        <label htmlFor="new-username">Username</label>
        <input
          id="new-username"
          required
          maxLength={64}
          pattern="[A-Za-z0-9_.@\-]+"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="new-password">Password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor="new-email">E-mail (optional)</label>
        <input
          id="new-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label className="checkbox">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          Administrator
        </label>
        <div>
          <button type="submit" className="button--primary" disabled={busy}>
            Create user
          </button>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
      </form>
    </details>
  );
}

function PasswordDialog({
  user,
  busy,
  onSave,
  onCancel,
}: {
  user: User;
  busy: boolean;
  onSave(password: string): void;
  onCancel(): void;
}) {
  const [password, setPassword] = useState("");
  const tooShort = password.length > 0 && password.length < 8;
  return (
    <FormDialog
      title={`New password for ${user.username}`}
      submitLabel="Reset password"
      busy={busy || password.length < 8}
      onSubmit={() => onSave(password)}
      onCancel={onCancel}
    >
      <label htmlFor="reset-password">New password (8 characters or more)</label>
      <input
        id="reset-password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {tooShort && <p className="problem">At least 8 characters.</p>}
      <p className="muted">Their current sign-ins end; tell them the new password.</p>
    </FormDialog>
  );
}

function QuotaDialog({
  user,
  busy,
  onSave,
  onCancel,
}: {
  user: User;
  busy: boolean;
  onSave(body: UserUpdate): void;
  onCancel(): void;
}) {
  const [gib, setGib] = useState(quotaInGib(user.quota_bytes));
  const [documents, setDocuments] = useState(
    user.quota_documents === null ? "" : String(user.quota_documents),
  );
  const bytes = parseQuota(gib, "GiB");
  const count = parseQuota(documents, "documents");
  const invalid = bytes === "invalid" || count === "invalid";
  return (
    <FormDialog
      title={`Quotas of ${user.username}`}
      submitLabel="Save quotas"
      busy={busy || invalid}
      onSubmit={() => {
        if (bytes !== "invalid" && count !== "invalid")
          onSave({ quota_bytes: bytes, quota_documents: count });
      }}
      onCancel={onCancel}
    >
      <label htmlFor="quota-gib">Storage (GiB; empty for no cap)</label>
      <input
        id="quota-gib"
        inputMode="decimal"
        value={gib}
        aria-invalid={bytes === "invalid"}
        onChange={(e) => setGib(e.target.value)}
      />
      <label htmlFor="quota-documents">Documents (empty for no cap)</label>
      <input
        id="quota-documents"
        inputMode="numeric"
        value={documents}
        aria-invalid={count === "invalid"}
        onChange={(e) => setDocuments(e.target.value)}
      />
      {invalid && <p className="problem">Quotas are numbers of 0 or more (documents: whole).</p>}
    </FormDialog>
  );
}
