import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, mockFetch } from "../test/fakes";
import { renderSignedIn } from "../test/render";
import { AccountPage } from "./AccountPage";

const ME = {
  id: "u1",
  username: "alice",
  email: "alice@example.com",
  is_admin: false,
  disabled: false,
  created_at: "2026-12-01T10:00:00Z",
  notify: "all",
  quota_bytes: null,
  quota_documents: null,
};

function routes(extra: Record<string, () => Response> = {}) {
  return mockFetch({
    "GET /api/v1/me": () => json(ME),
    "GET /api/v1/me/webhook": () => json({ url: null, secret_hint: null }),
    "GET /api/v1/me/notifications": () => json({ data: [], count: 0 }),
    ...extra,
  });
}

describe("my account", () => {
  it("saves the notification choice", async () => {
    const calls = routes({ "PATCH /api/v1/me": () => json({ ...ME, notify: "failures" }) });
    renderSignedIn(<AccountPage />);

    await userEvent.click(await screen.findByLabelText("Only failed and crashed jobs"));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await screen.findByText("Saved.");
    const patch = calls.find((c) => c.method === "PATCH");
    expect(await patch?.json()).toEqual({ email: "alice@example.com", notify: "failures" });
  });

  it("refuses two different new passwords, then changes it", async () => {
    const calls = routes({ "POST /api/v1/me/password": () => new Response(null, { status: 204 }) });
    renderSignedIn(<AccountPage />);

    await userEvent.type(screen.getByLabelText("Current password"), "old-password");
    await userEvent.type(screen.getByLabelText("New password"), "new-password-1");
    await userEvent.type(screen.getByLabelText("New password again"), "new-password-2");
    expect(screen.getByText("The two new passwords differ.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Change password" })).toBeDisabled();
    await userEvent.clear(screen.getByLabelText("New password again"));
    await userEvent.type(screen.getByLabelText("New password again"), "new-password-1");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByText(/every other sign-in has ended/)).toBeInTheDocument();
    const post = calls.find((c) => c.method === "POST");
    expect(await post?.json()).toEqual({
      current_password: "old-password",
      new_password: "new-password-1",
    });
  });

  it("shows a new webhook's secret once", async () => {
    routes({
      "PUT /api/v1/me/webhook": () =>
        json({ url: "https://h.example/x", secret_hint: "whsec_abcd", secret: "whsec_abcdefgh" }),
    });
    renderSignedIn(<AccountPage />);

    await userEvent.type(await screen.findByLabelText("URL"), "https://h.example/x");
    await userEvent.click(screen.getByRole("button", { name: "Save webhook" }));

    expect(await screen.findByLabelText(/The signing secret/)).toHaveValue("whsec_abcdefgh");
  });
});
