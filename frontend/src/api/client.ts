/**
 * The typed API client: openapi-fetch over the generated `schema.d.ts` (from the backend's
 * OpenAPI document, `npm run gen:api`). Every call goes through {@link call}, which returns
 * the data or throws an {@link ApiError} for the one error handler.
 */
import createClient, { type Middleware } from "openapi-fetch";

import { errorFromResponse, networkError } from "./errors";
import type { paths } from "./schema";
import { session } from "./session";

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

// Same origin as the page: the API serves the UI. An absolute base keeps Request() happy in
// tests; fetch is looked up per call (not captured once) so tests can stub it.
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(auth);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call; returns its data or throws an ApiError. */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw networkError(cause);
  }
  if (!result.response.ok) throw errorFromResponse(result.response, result.error);
  return result.data as T;
}
