import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, makeJob, mockFetch } from "../test/fakes";
import { renderSignedIn } from "../test/render";
import { JobsPage } from "./JobsPage";

describe("jobs page", () => {
  it("loads a filtered page and retries a failed job", async () => {
    window.location.hash = "#/jobs?state=failed";
    const calls = mockFetch({
      "GET /api/v1/jobs": () =>
        json({ data: [makeJob({ id: "job-1", state: "failed" })], count: 1 }),
      "POST /api/v1/jobs/job-1/retry": () =>
        json(makeJob({ id: "job-2", state: "scheduled" }), 202),
    });
    renderSignedIn(<JobsPage />);

    await userEvent.click(await screen.findByRole("button", { name: /Retry job job-1/ }));

    expect(await screen.findByText("Retrying as job job-2.")).toBeInTheDocument();
    const list = new URL(calls[0]!.url);
    expect(list.pathname).toBe("/api/v1/jobs");
    expect(list.searchParams.get("state")).toBe("failed");
    expect(list.searchParams.get("limit")).toBe("20");
    expect(
      calls.some((c) => c.method === "POST" && c.url.endsWith("/api/v1/jobs/job-1/retry")),
    ).toBe(true);
  });

  it("says why a cancel was refused", async () => {
    mockFetch({
      "GET /api/v1/jobs": () =>
        json({ data: [makeJob({ id: "job-1", state: "running" })], count: 1 }),
      "POST /api/v1/jobs/job-1/cancel": () =>
        json({ detail: "The job has already finished.", code: "conflict" }, 409),
    });
    renderSignedIn(<JobsPage />);
    await userEvent.click(await screen.findByRole("button", { name: /Cancel job job-1/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The job has already finished.");
  });

  it("shows an empty state", async () => {
    mockFetch({ "GET /api/v1/jobs": () => json({ data: [], count: 0 }) });
    renderSignedIn(<JobsPage />);
    expect(await screen.findByText(/No jobs yet/)).toBeInTheDocument();
  });

  it("pages through the history", async () => {
    const jobs = Array.from({ length: 20 }, (_, i) =>
      makeJob({ id: `job-${i}`, state: "completed" }),
    );
    mockFetch({ "GET /api/v1/jobs": () => json({ data: jobs, count: 45 }) });
    renderSignedIn(<JobsPage />);
    const pager = await screen.findByRole("navigation", { name: "Pages" });
    expect(within(pager).getByText("1–20 of 45")).toBeInTheDocument();
    await userEvent.click(within(pager).getByRole("button", { name: "Next" }));
    expect(window.location.hash).toBe("#/jobs?offset=20");
  });
});
