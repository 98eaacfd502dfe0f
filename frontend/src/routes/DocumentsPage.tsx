/** The caller's documents: status, size, new versions and deletion. */
import { type ChangeEvent, useEffect, useRef, useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { Document, DocumentStatus } from "../api/types";
import { useQuery } from "../api/useQuery";
import { DocumentTable } from "../features/documents/DocumentTable";
import { nearLimit, usageWords } from "../features/documents/usage";
import { DOCUMENT_STATUS_LABELS } from "../features/jobs/words";
import { formatTime } from "../features/ui/format";
import { useLiveJobs } from "../features/live/LiveJobsProvider";
import { extensionOf } from "../features/upload/precheck";
import { useUploads } from "../features/upload/UploadProvider";
import { ConfirmDialog } from "../features/ui/ConfirmDialog";
import { Loading, Notice } from "../features/ui/Notice";
import { Pager } from "../features/ui/Pager";
import { href, navigate, useRoute } from "../router";

export const DOCUMENTS_PAGE_SIZE = 50;
const INGESTING: ReadonlySet<DocumentStatus> = new Set(["queued", "processing"]);

function useDocuments(offset: number) {
  return useQuery(
    (signal) =>
      call(
        api.GET("/api/v1/documents", {
          params: { query: { limit: DOCUMENTS_PAGE_SIZE, offset } },
          signal,
        }),
      ),
    String(offset),
  );
}

export function DocumentsPage() {
  const { params } = useRoute();
  const offset = Math.max(0, Number(params.get("offset")) || 0);
  const focus = params.get("focus");
  const page = params.get("page");
  const query = useDocuments(offset);
  const uploads = useUploads();
  const [deleting, setDeleting] = useState<Document | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const versionOf = useRef<Document | null>(null);

  const usage = useQuery(
    (signal) => call(api.GET("/api/v1/me/usage", { signal })),
    `${query.data?.count ?? 0}:${(query.data?.data ?? []).map((d) => d.size_bytes).join(",")}`,
  );
  useReloadWhenJobsChange(query.reload);

  const documents = query.data?.data ?? [];
  const focused = documents.find((doc) => doc.id === focus) ?? null;
  useEffect(() => {
    if (focused)
      document.getElementById(`doc-${focused.id}`)?.scrollIntoView?.({ block: "center" });
  }, [focused]);

  function chooseVersion(doc: Document) {
    versionOf.current = doc;
    picker.current?.click();
  }

  function onVersionPicked(event: ChangeEvent<HTMLInputElement>) {
    const picked = event.target.files?.[0];
    event.target.value = "";
    const doc = versionOf.current;
    if (!picked || !doc) return;
    if (extensionOf(picked.name) !== extensionOf(doc.filename)) {
      setMessage({
        kind: "error",
        text: `A new version of ${doc.filename} must be a ${extensionOf(doc.filename)} file too.`,
      });
      return;
    }
    // The document is its filename: send the new bytes under the same name.
    uploads.add([new File([picked], doc.filename, { type: picked.type })]);
    navigate(href("/upload"));
  }

  async function confirmDelete() {
    if (!deleting) return;
    setBusy(true);
    try {
      await call(
        api.DELETE("/api/v1/documents/{document_id}", {
          params: { path: { document_id: deleting.id } },
        }),
      );
      setMessage({ kind: "success", text: `Deleted ${deleting.filename}.` });
      query.reload(true);
    } catch (error) {
      setMessage({ kind: "error", text: handleError(error) });
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  }

  return (
    <>
      <div className="section-head">
        <h1>Documents</h1>
        <a className="button button--primary" href={href("/upload")}>
          Upload files
        </a>
      </div>
      {usage.data && (
        <p className={nearLimit(usage.data) ? "usage usage--near" : "usage muted"}>
          {usageWords(usage.data)}
          {nearLimit(usage.data) && " · nearly at your limit: delete documents to make room"}
        </p>
      )}
      <input
        ref={picker}
        type="file"
        hidden
        onChange={onVersionPicked}
        aria-label="Choose the new version's file"
      />
      {focus && <CitedDocument id={focus} page={page} />}
      <div aria-live="polite">{message && <Notice kind={message.kind}>{message.text}</Notice>}</div>
      {query.error && <Notice kind="error">{query.error}</Notice>}
      {query.loading && !query.data ? (
        <Loading what="documents" />
      ) : documents.length === 0 && !query.error ? (
        <p className="empty">
          No documents yet. <a href={href("/upload")}>Upload some</a> to ask questions about them.
        </p>
      ) : (
        <DocumentTable
          documents={documents}
          focus={focus}
          onNewVersion={chooseVersion}
          onDelete={setDeleting}
        />
      )}
      {query.data && (
        <Pager
          offset={offset}
          limit={DOCUMENTS_PAGE_SIZE}
          count={query.data.count}
          shown={documents.length}
          onPage={(next) => navigate(href("/documents", { offset: next || null }))}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.filename}?`}
          confirmLabel="Delete"
          danger
          busy={busy}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
        >
          <p>
            Its {deleting.chunks} chunks and the stored file are removed, and answers will no longer
            cite it.
            {INGESTING.has(deleting.status) &&
              " Its ingestion stops; the rest of its job goes on."}{" "}
            This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Document rows change when a job moves on; reload quietly when any job changes state. */
function useReloadWhenJobsChange(reload: (quiet?: boolean) => void) {
  const { jobs } = useLiveJobs();
  const signature = Object.values(jobs)
    .map((job) => `${job.id}:${job.state}:${job.documents.map((d) => d.stage).join(",")}`)
    .sort()
    .join("|");
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload(true);
  }, [signature, reload]);
}

/** The document a citation links to, fetched on its own since it may be on another page. */
function CitedDocument({ id, page }: { id: string; page: string | null }) {
  const cited = useQuery(
    (signal) =>
      call(
        api.GET("/api/v1/documents/{document_id}", {
          params: { path: { document_id: id } },
          signal,
        }),
      ),
    id,
  );
  if (cited.error) return <Notice kind="error">The cited document: {cited.error}</Notice>;
  if (!cited.data) return null;
  const doc = cited.data;
  return (
    <Notice kind="info">
      Cited document: <strong>{doc.filename}</strong>
      {page ? `, page ${page}` : ""} · {DOCUMENT_STATUS_LABELS[doc.status]} · {doc.chunks} chunks ·
      updated {formatTime(doc.updated_at)}
    </Notice>
  );
}
