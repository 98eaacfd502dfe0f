import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";

import { UploadPage } from "../../routes/UploadPage";
import { FakeSocket, FakeXhr, json, makeJob, makeJobDocument, mockFetch } from "../../test/fakes";
import { renderSignedIn, TOKEN } from "../../test/render";

function file(name: string, size: number, type = "application/pdf"): File {
  return new File([new Uint8Array(size)], name, { type });
}

const accepted = {
  job: makeJob({
    id: "job-1",
    documents: [makeJobDocument({ document_id: "doc-1", filename: "report.pdf" })],
  }),
  documents: [
    {
      id: "doc-1",
      filename: "report.pdf",
      content_type: "application/pdf",
      size_bytes: 0,
      sha256: "",
      status: "queued",
      chunks: 0,
      error: null,
      created_at: "2026-11-28T10:00:00Z",
      updated_at: "2026-11-28T10:00:00Z",
      last_job_id: "job-1",
    },
  ],
  rejected: [],
};

async function pick(...files: File[]) {
  // The picker's accept list is only a hint (users can pick "All files"), so do not apply it.
  await userEvent
    .setup({ applyAccept: false })
    .upload(screen.getByLabelText("Choose files"), files);
}

/** The names of the files the last upload request carried. */
function sentNames(): string[] {
  return (FakeXhr.last().body?.getAll("files") ?? []).map((f) => (f as File).name);
}

function item(name: string): HTMLElement {
  const label = screen.getAllByText(name).find((el) => el.classList.contains("upload-item__name"));
  const row = label?.closest("li");
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe("upload page", () => {
  beforeEach(() => {
    FakeXhr.install();
    mockFetch({});
  });

  it("shows upload bytes, then the processing stage live from the socket", async () => {
    renderSignedIn(<UploadPage />);
    act(() => FakeSocket.last().open());
    await pick(file("report.pdf", 1000));

    const xhr = FakeXhr.last();
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/v1/documents");
    expect(xhr.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(xhr.body?.getAll("files")).toHaveLength(1);

    act(() => xhr.progress(500, 1000));
    expect(screen.getByRole("progressbar", { name: "Upload of report.pdf" })).toHaveAttribute(
      "aria-valuenow",
      "50",
    );

    act(() => xhr.respond(202, accepted));
    expect(await within(item("report.pdf")).findByText("Waiting to start")).toBeInTheDocument();

    act(() =>
      FakeSocket.last().send({
        type: "job",
        job: makeJob({
          state: "running",
          progress: 0.4,
          chunks_per_second: 3.5,
          eta_seconds: 20,
          documents: [
            makeJobDocument({
              stage: "embedding",
              progress: 0.4,
              chunks_done: 40,
              chunks_total: 100,
            }),
          ],
        }),
      }),
    );
    const row = item("report.pdf");
    expect(within(row).getByText("Embedding")).toBeInTheDocument();
    expect(within(row).getByText("40 / 100 chunks")).toBeInTheDocument();
    expect(within(row).getByText("3.5 chunks/s")).toBeInTheDocument();
    expect(within(row).getByText("about 20 s left")).toBeInTheDocument();
    expect(
      within(row).getByRole("progressbar", { name: "Processing of report.pdf" }),
    ).toHaveAttribute("aria-valuenow", "40");

    // A reconnect's snapshot brings the finished state.
    act(() =>
      FakeSocket.last().send({
        type: "snapshot",
        jobs: [
          makeJob({
            state: "completed",
            progress: 1,
            documents: [
              makeJobDocument({ stage: "done", progress: 1, chunks_done: 100, chunks_total: 100 }),
            ],
          }),
        ],
      }),
    );
    expect(within(row).getByText("Done")).toBeInTheDocument();
    expect(within(row).queryByText(/chunks\/s/)).not.toBeInTheDocument();
  });

  it("explains files refused before sending, and sends only the good ones", async () => {
    renderSignedIn(<UploadPage />);
    await pick(file("report.pdf", 10), file("tool.exe", 10), file("empty.txt", 0, "text/plain"));

    expect(within(item("tool.exe")).getByText(/\.exe files are not supported/)).toBeInTheDocument();
    expect(within(item("empty.txt")).getByText(/The file is empty/)).toBeInTheDocument();
    expect(FakeXhr.instances).toHaveLength(1);
    expect(sentNames()).toEqual(["report.pdf"]);
  });

  it("checks files against the server's own limits, not the defaults", async () => {
    mockFetch({
      "GET /api/v1/documents/limits": () => json({ max_file_bytes: 2048, max_files_per_upload: 1 }),
    });
    renderSignedIn(<UploadPage />);
    expect(await screen.findByText(/up to 2\.0 KB each/)).toBeInTheDocument();

    await pick(file("small.pdf", 10), file("big.pdf", 4096), file("other.pdf", 20));

    expect(within(item("big.pdf")).getByText(/the limit is 2\.0 KB/)).toBeInTheDocument();
    // One file per request, as the server allows: the second waits for the first.
    expect(FakeXhr.instances).toHaveLength(1);
    expect(sentNames()).toEqual(["small.pdf"]);
  });

  it("shows the server's rejections right after the upload", async () => {
    renderSignedIn(<UploadPage />);
    await pick(file("report.pdf", 10), file("fake.pdf", 10));
    act(() =>
      FakeXhr.last().respond(202, {
        ...accepted,
        rejected: [
          {
            filename: "fake.pdf",
            status: 415,
            code: "unsupported_type",
            detail: "fake.pdf is not a PDF.",
          },
        ],
      }),
    );
    expect(
      await within(item("fake.pdf")).findByText(/fake\.pdf is not a PDF\./),
    ).toBeInTheDocument();
  });

  it("marks every file refused when the whole request is refused", async () => {
    renderSignedIn(<UploadPage />);
    await pick(file("big.pdf", 10));
    act(() =>
      FakeXhr.last().respond(413, {
        detail: "big.pdf is larger than 100 MB.",
        code: "file_too_large",
      }),
    );
    expect(
      await within(item("big.pdf")).findByText(/Refused by the server: big\.pdf is larger/),
    ).toBeInTheDocument();
  });

  it("polls the job every couple of seconds while the socket cannot open", async () => {
    const calls = mockFetch({
      "GET /api/v1/jobs/job-1": () =>
        json(
          makeJob({
            state: "running",
            documents: [makeJobDocument({ stage: "parsing", progress: 0.1 })],
          }),
        ),
    });
    renderSignedIn(<UploadPage />);
    act(() => FakeSocket.last().fail());
    await pick(file("report.pdf", 10));
    act(() => FakeXhr.last().respond(202, accepted));

    expect(await within(item("report.pdf")).findByText("Reading the file")).toBeInTheDocument();
    const poll = calls.find((call) => call.url.endsWith("/api/v1/jobs/job-1"));
    expect(poll?.headers.get("Authorization")).toBe(`Bearer ${TOKEN}`);
  });
});

describe("upload list waiting states", () => {
  it("says why a job waits", async () => {
    FakeXhr.install();
    mockFetch({});
    renderSignedIn(<UploadPage />);
    act(() => FakeSocket.last().open());
    await pick(file("report.pdf", 10));
    act(() => FakeXhr.last().respond(202, accepted));
    act(() =>
      FakeSocket.last().send({
        type: "job",
        job: makeJob({ state: "scheduled", error: "No ingestion worker is online." }),
      }),
    );
    await waitFor(() =>
      expect(
        within(item("report.pdf")).getByText("Waiting: No ingestion worker is online."),
      ).toBeInTheDocument(),
    );
  });
});
