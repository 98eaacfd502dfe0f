import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { User } from "../../api/types";
import { json, mockFetch } from "../../test/fakes";
import { renderSignedIn } from "../../test/render";
import { UsersPage } from "./UsersPage";

function user(fields: Partial<User>): User {
  return {
    id: "u1",
    username: "alice",
    email: null,
    is_admin: false,
    disabled: false,
    created_at: "2026-12-01T10:00:00Z",
    notify: "all",
    quota_bytes: null,
    quota_documents: null,
    ...fields,
  };
}

const ROOT = user({ id: "root", username: "root", is_admin: true });

describe("users page", () => {
  it("disables a user after asking, and cannot disable oneself", async () => {
    const calls = mockFetch({
      "GET /api/v1/users": () => json({ data: [ROOT, user({})], count: 2 }),
      "GET /api/v1/me": () => json(ROOT),
      "PATCH /api/v1/users/u1": () => json(user({ disabled: true })),
    });
    renderSignedIn(<UsersPage />);

    const alice = await screen.findByRole("row", { name: "User alice" });
    const root = screen.getByRole("row", { name: "User root" });
    expect(await within(root).findByRole("button", { name: "Disable" })).toBeDisabled();
    await userEvent.click(within(alice).getByRole("button", { name: "Disable" }));
    await userEvent.click(
      within(screen.getByRole("alertdialog")).getByRole("button", { name: "Disable" }),
    );

    expect(await screen.findByText("alice is disabled.")).toBeInTheDocument();
    const patch = calls.find((c) => c.method === "PATCH");
    expect(await patch?.json()).toEqual({ disabled: true });
  });

  it("saves quotas typed in GiB as bytes, and an empty field as no cap", async () => {
    const calls = mockFetch({
      "GET /api/v1/users": () => json({ data: [user({ quota_documents: 10 })], count: 1 }),
      "GET /api/v1/me": () => json(ROOT),
      "PATCH /api/v1/users/u1": () => json(user({})),
    });
    renderSignedIn(<UsersPage />);

    await userEvent.click(await screen.findByRole("button", { name: "Quotas" }));
    await userEvent.type(screen.getByLabelText(/Storage/), "2");
    await userEvent.clear(screen.getByLabelText(/Documents/));
    await userEvent.click(screen.getByRole("button", { name: "Save quotas" }));

    await screen.findByText("alice's quotas were saved.");
    const patch = calls.find((c) => c.method === "PATCH");
    expect(await patch?.json()).toEqual({ quota_bytes: 2 * 1024 ** 3, quota_documents: null });
  });
});
