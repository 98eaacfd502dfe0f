/**
 * The signed-in session: the bearer token, kept in sessionStorage (this tab) or, when the user
 * asks to stay signed in, localStorage. A tiny external store so React re-renders on sign-in
 * and sign-out (useSyncExternalStore) and non-React code (the client, the socket) can read it.
 */
const KEY = "ragline.token";

export interface SessionState {
  token: string | null;
  /** Why the user was signed out (shown on the sign-in page), e.g. an expired token. */
  reason: string | null;
}

let state: SessionState = { token: readStoredToken(), reason: null };
const listeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the session lives in memory only
  }
}

function emit(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export const session = {
  get: (): SessionState => state,
  token: (): string | null => state.token,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signIn(token: string, remember: boolean): void {
    try {
      (remember ? localStorage : sessionStorage).setItem(KEY, token);
    } catch {
      // storage disabled: keep the token in memory
    }
    emit({ token, reason: null });
  },
  signOut(reason: string | null = null): void {
    try {
      sessionStorage.removeItem(KEY);
      localStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
    emit({ token: null, reason });
  },
};
