/**
 * The one error handler. Every failed call becomes an {@link ApiError}; {@link handleError}
 * turns it into a sentence for the page and does the app-wide part: a 401 signs the user out
 * (back to the sign-in page), a 403 and a network failure get a plain explanation.
 */
import { session } from "./session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = "error",
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Status 0: the request never got an HTTP answer. */
export const NETWORK = 0;

function detailOf(body: unknown): { detail: string | null; code: string | null } {
  if (body && typeof body === "object") {
    const { detail, code } = body as { detail?: unknown; code?: unknown };
    if (typeof detail === "string") return { detail, code: typeof code === "string" ? code : null };
    // FastAPI's validation errors: detail is a list of {loc, msg}.
    if (Array.isArray(detail)) {
      const msgs = detail
        .map((d: unknown) => (d && typeof d === "object" && "msg" in d ? String(d.msg) : null))
        .filter((m): m is string => m !== null);
      return { detail: msgs.join("; ") || null, code: typeof code === "string" ? code : null };
    }
  }
  if (typeof body === "string" && body.trim() && !body.trimStart().startsWith("<")) {
    return { detail: body.trim(), code: null };
  }
  return { detail: null, code: null };
}

/** An HTTP error answer (fetch or XMLHttpRequest) as an ApiError with the server's sentence. */
export function errorFromStatus(
  status: number,
  statusText: string,
  retryAfter: string | null,
  body: unknown,
): ApiError {
  const { detail, code } = detailOf(body);
  const retry = Number(retryAfter);
  return new ApiError(
    status,
    detail ?? `The server answered ${status} ${statusText}`.trim(),
    code ?? "error",
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

export function errorFromResponse(response: Response, body: unknown): ApiError {
  return errorFromStatus(
    response.status,
    response.statusText,
    response.headers.get("Retry-After"),
    body,
  );
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError(
    NETWORK,
    "Cannot reach the server. Check that ragline is running and your connection is up.",
    "network",
  );
  error.cause = cause;
  return error;
}

/**
 * Reports an error and returns the sentence to show where it happened.
 * A 401 while signed in ends the session; the sign-in page then says why.
 */
export function handleError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    console.error(error);
    return error instanceof Error ? error.message : "Something went wrong.";
  }
  switch (error.status) {
    case 401:
      if (session.token()) session.signOut("Your session has ended. Please sign in again.");
      return error.message;
    case 403:
      return `You are not allowed to do that. ${error.message}`;
    case 429:
      return error.retryAfter
        ? `Too many requests; try again in ${error.retryAfter} s.`
        : "Too many requests; try again shortly.";
    default:
      return error.message;
  }
}
