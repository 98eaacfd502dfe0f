import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { session } from "../../api/session";
import { json, mockFetch } from "../../test/fakes";
import { LoginForm } from "./LoginForm";

async function signIn(username: string, password: string, remember = false) {
  await userEvent.type(screen.getByLabelText("Username"), username);
  await userEvent.type(screen.getByLabelText("Password"), password);
  if (remember) await userEvent.click(screen.getByLabelText("Keep me signed in on this device"));
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login form", () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("posts the credentials as JSON and keeps the token for this tab", async () => {
    const calls = mockFetch({
      "POST /api/v1/auth/login": () => json({ access_token: "tok-1", token_type: "bearer" }),
    });
    render(<LoginForm />);
    await signIn("alice", "s3cret");

    await screen.findByRole("button", { name: "Signing in…" });
    expect(session.token()).toBe("tok-1");
    expect(sessionStorage.getItem("ragline.token")).toBe("tok-1");
    expect(localStorage.getItem("ragline.token")).toBeNull();
    expect(await calls[0]!.json()).toEqual({ username: "alice", password: "s3cret" });
  });

  it("keeps the token on this device when asked", async () => {
    mockFetch({
      "POST /api/v1/auth/login": () => json({ access_token: "tok-2", token_type: "bearer" }),
    });
    render(<LoginForm />);
    await signIn("alice", "s3cret", true);
    await screen.findByRole("button", { name: "Signing in…" });
    expect(localStorage.getItem("ragline.token")).toBe("tok-2");
  });

  it("shows the server's reason when sign-in fails", async () => {
    mockFetch({
      "POST /api/v1/auth/login": () =>
        json({ detail: "Wrong username or password.", code: "not_authenticated" }, 401),
    });
    render(<LoginForm />);
    await signIn("alice", "wrong");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
    expect(session.token()).toBeNull();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("says when the server cannot be reached", async () => {
    mockFetch({
      "POST /api/v1/auth/login": () => {
        throw new TypeError("fetch failed");
      },
    });
    render(<LoginForm />);
    await signIn("alice", "pw");
    expect(await screen.findByRole("alert")).toHaveTextContent(/Cannot reach the server/);
  });
});
