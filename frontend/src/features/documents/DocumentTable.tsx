/** The documents table; on narrow screens each row becomes a card (see styles.css). */
import type { Document } from "../../api/types";
import { Badge } from "../ui/Badge";
import { formatBytes, formatTime } from "../ui/format";
import { DOCUMENT_STATUS_LABELS, documentTone } from "../jobs/words";
import { href } from "../../router";

interface Props {
  documents: readonly Document[];
  focus: string | null;
  onNewVersion(document: Document): void;
  onDelete(document: Document): void;
}

export function DocumentTable({ documents, focus, onNewVersion, onDelete }: Props) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Your documents, most recently updated first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Chunks</th>
            <th scope="col">Size</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {documents.map((doc) => (
            <tr
              key={doc.id}
              id={`doc-${doc.id}`}
              className={doc.id === focus ? "row--highlight" : undefined}
            >
              <th scope="row" data-label="Name" className="cell-name">
                {doc.filename}
                {doc.error && (
                  <span className={`${doc.status === "cancelled" ? "muted" : "problem"} cell-note`}>
                    {doc.error}
                  </span>
                )}
              </th>
              <td data-label="Status">
                <Badge tone={documentTone(doc.status)}>{DOCUMENT_STATUS_LABELS[doc.status]}</Badge>
                {doc.last_job_id && (
                  <a className="cell-note" href={href("/jobs", { job: doc.last_job_id })}>
                    last job
                  </a>
                )}
              </td>
              <td data-label="Chunks" className="cell-nowrap">
                {doc.chunks}
              </td>
              <td data-label="Size" className="cell-nowrap">
                {formatBytes(doc.size_bytes)}
              </td>
              <td data-label="Updated" className="cell-nowrap">
                <time dateTime={doc.updated_at}>{formatTime(doc.updated_at)}</time>
              </td>
              <td className="cell-actions">
                <button
                  type="button"
                  onClick={() => onNewVersion(doc)}
                  aria-label={`New version of ${doc.filename}`}
                >
                  New version
                </button>
                <button
                  type="button"
                  className="button--danger-quiet"
                  onClick={() => onDelete(doc)}
                  aria-label={`Delete ${doc.filename}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
