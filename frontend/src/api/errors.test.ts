import { describe, expect, it } from "vitest";

import { ApiError, errorFromStatus, handleError, NETWORK, networkError } from "./errors";
import { session } from "./session";

describe("the one error handler", () => {
  it("signs out on 401 and says why on the sign-in page", () => {
    session.signIn("tok", false);
    handleError(new ApiError(401, "Token expired.", "not_authenticated"));
    expect(session.get()).toEqual({
      token: null,
      reason: "Your session has ended. Please sign in again.",
    });
  });

  it("explains 403, 429 and network failures in plain words", () => {
    expect(handleError(new ApiError(403, "Admins only.", "forbidden"))).toBe(
      "You are not allowed to do that. Admins only.",
    );
    expect(handleError(new ApiError(429, "Slow down", "rate_limited", 12))).toBe(
      "Too many requests; try again in 12 s.",
    );
    const offline = networkError(new TypeError("fetch failed"));
    expect(offline.status).toBe(NETWORK);
    expect(handleError(offline)).toMatch(/Cannot reach the server/);
  });

  it("reads the contract's error body and FastAPI's validation errors", () => {
    const contract = errorFromStatus(409, "Conflict", null, {
      detail: "Already finished.",
      code: "conflict",
    });
    expect([contract.message, contract.code]).toEqual(["Already finished.", "conflict"]);
    const validation = errorFromStatus(422, "", null, {
      detail: [{ loc: ["body"], msg: "Field required" }],
    });
    expect(validation.message).toBe("Field required");
    const html = errorFromStatus(502, "Bad Gateway", null, "<html>proxy</html>");
    expect(html.message).toBe("The server answered 502 Bad Gateway");
  });
});
