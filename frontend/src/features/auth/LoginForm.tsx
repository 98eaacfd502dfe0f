/** Username and password → a bearer token for this tab (or this device, if asked). */
import { type FormEvent, useState } from "react";

import { api, call } from "../../api/client";
import { handleError } from "../../api/errors";
import { session } from "../../api/session";
import { Notice } from "../ui/Notice";

export function LoginForm() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await call(
        api.POST("/api/v1/auth/login", { body: { username: username.trim(), password } }),
      );
      session.signIn(token.access_token, remember);
    } catch (cause) {
      setError(handleError(cause));
      setBusy(false);
    }
  }

  return (
    <form className="login-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby="login-title">
      <h1 id="login-title">Sign in to ragline</h1>
      {error && <Notice kind="error">{error}</Notice>}
      <label htmlFor="username">Username</label>
      <input
        id="username"
        name="username"
        autoComplete="username"
        required
        autoFocus
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <label className="checkbox">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        Keep me signed in on this device
      </label>
      <button type="submit" className="button--primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
