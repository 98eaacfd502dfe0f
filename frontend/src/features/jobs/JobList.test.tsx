import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { JobState } from "../../api/types";
import { makeJob, makeJobDocument } from "../../test/fakes";
import { JobList } from "./JobList";

function renderJob(state: JobState, overrides = {}) {
  const onCancel = vi.fn();
  const onRetry = vi.fn();
  render(
    <JobList
      jobs={[makeJob({ id: "abcdef1234", state, ...overrides })]}
      busy={new Set()}
      onCancel={onCancel}
      onRetry={onRetry}
    />,
  );
  return { onCancel, onRetry };
}

describe("job list buttons", () => {
  it.each<JobState>(["scheduled", "pending", "running"])(
    "offers Cancel, not Retry, when %s",
    (state) => {
      renderJob(state);
      expect(screen.getByRole("button", { name: "Cancel job abcdef12" })).toBeEnabled();
      expect(screen.queryByRole("button", { name: /Retry/ })).not.toBeInTheDocument();
    },
  );

  it.each<JobState>(["failed", "cancelled", "crashed"])(
    "offers Retry, not Cancel, when %s",
    (state) => {
      renderJob(state);
      expect(screen.getByRole("button", { name: "Retry job abcdef12" })).toBeEnabled();
      expect(screen.queryByRole("button", { name: /Cancel/ })).not.toBeInTheDocument();
    },
  );

  it.each<JobState>(["completed", "cancelling"])("offers neither when %s", (state) => {
    renderJob(state);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("calls back with the job when a button is pressed", async () => {
    const { onCancel } = renderJob("running");
    await userEvent.click(screen.getByRole("button", { name: /Cancel/ }));
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: "abcdef1234" }));
  });

  it("disables the buttons while a request for the job is in flight", () => {
    render(
      <JobList
        jobs={[makeJob({ id: "j1", state: "failed" })]}
        busy={new Set(["j1"])}
        onCancel={vi.fn()}
        onRetry={vi.fn()}
      />,
    );
    expect(screen.getByRole("button", { name: /Retry/ })).toBeDisabled();
  });

  it("links to the Prefect run in a new tab", () => {
    renderJob("running", { prefect_url: "http://127.0.0.1:4200/runs/flow-run/fr-1" });
    const link = screen.getByRole("link", { name: /Prefect run/ });
    expect(link).toHaveAttribute("href", "http://127.0.0.1:4200/runs/flow-run/fr-1");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
  });

  it("shows each document's stage and error in plain words, and the duration", () => {
    renderJob("failed", {
      error: "1 of 2 documents failed.",
      started_at: "2026-11-28T10:00:00Z",
      finished_at: "2026-11-28T10:01:05Z",
      documents: [
        makeJobDocument({
          document_id: "d1",
          filename: "a.pdf",
          stage: "done",
          chunks_done: 12,
          chunks_total: 12,
        }),
        makeJobDocument({
          document_id: "d2",
          filename: "b.pdf",
          stage: "failed",
          error: "b.pdf is encrypted; upload a copy without a password.",
        }),
      ],
    });
    const job = screen.getByRole("listitem", { name: /Job abcdef12, Failed/ });
    expect(within(job).getByText("took 1 min 5 s", { exact: false })).toBeInTheDocument();
    expect(within(job).getByText("1 of 2 documents failed.")).toBeInTheDocument();
    expect(within(job).getByText("12 / 12 chunks")).toBeInTheDocument();
    expect(
      within(job).getByText("b.pdf is encrypted; upload a copy without a password."),
    ).toBeInTheDocument();
    expect(within(job).getByText("Done")).toBeInTheDocument();
  });
});

describe("job list wording", () => {
  it("links a retry to the job it retries", () => {
    renderJob("running", { retry_of: "0123456789abcdef" });
    const link = screen.getByRole("link", { name: "job 01234567" });
    expect(link).toHaveAttribute("href", "#/jobs?job=0123456789abcdef");
  });

  it("does not show a cancellation as a problem", () => {
    renderJob("cancelled", {
      error: "Cancelled.",
      documents: [makeJobDocument({ stage: "cancelled", error: "Cancelled before it finished." })],
    });
    expect(screen.getByText("Cancelled.")).not.toHaveClass("problem");
    expect(screen.getByText("Cancelled before it finished.")).not.toHaveClass("problem");
  });
});
