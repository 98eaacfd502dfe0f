/**
 * The multipart upload (POST /api/v1/documents, field `files`) over XMLHttpRequest, because
 * fetch cannot report upload progress. Same auth and error shapes as the typed client.
 */
import { errorFromStatus, networkError } from "./errors";
import type { paths } from "./schema";
import { session } from "./session";
import type { UploadAccepted } from "./types";

// Checked against the generated paths, so a renamed endpoint fails the type check.
export const UPLOAD_PATH = "/api/v1/documents" satisfies keyof paths;

export interface UploadRequest {
  promise: Promise<UploadAccepted>;
  abort(): void;
}

export type ProgressListener = (loaded: number, total: number) => void;

export function uploadFiles(files: readonly File[], onProgress: ProgressListener): UploadRequest {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);

  const promise = new Promise<UploadAccepted>((resolve, reject) => {
    xhr.open("POST", UPLOAD_PATH);
    xhr.responseType = "text";
    const token = session.token();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // keep the text; errorFromStatus copes
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadAccepted);
      else
        reject(
          errorFromStatus(xhr.status, xhr.statusText, xhr.getResponseHeader("Retry-After"), body),
        );
    };
    xhr.onerror = () => reject(networkError(new Error("upload failed")));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/**
 * Splits the request's upload progress across its files. The multipart body holds the files in
 * order, so bytes sent so far fill the first file, then the next; the small part headers are
 * spread proportionally by scaling to the files' total size.
 */
export function perFileProgress(sizes: readonly number[], loaded: number, total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (total <= 0 || sum <= 0) return sizes.map(() => (loaded >= total ? 1 : 0));
  let remaining = (Math.min(loaded, total) / total) * sum;
  return sizes.map((size) => {
    if (size === 0) return remaining >= 0 ? 1 : 0;
    const part = Math.max(0, Math.min(size, remaining));
    remaining -= size;
    return part / size;
  });
}
