/**
 * Checks made before sending, so a user sees why a file will be refused without waiting for
 * the server. The server checks again (by content, not name) and has the last word.
 */
import type { UploadLimits } from "../../api/types";
import { formatBytes } from "../ui/format";

export const ALLOWED_EXTENSIONS = [
  ".pdf",
  ".docx",
  ".pptx",
  ".html",
  ".htm",
  ".md",
  ".markdown",
  ".txt",
  ".csv",
  ".eml",
] as const;

/**
 * The server's defaults (`RAGLINE_MAX_UPLOAD_MB`, `RAGLINE_MAX_FILES_PER_UPLOAD`), used until
 * its own limits (`GET /api/v1/documents/limits`) arrive. Larger selections than
 * `max_files_per_upload` go in several requests.
 */
export const DEFAULT_LIMITS: UploadLimits = {
  max_file_bytes: 100 * 1024 * 1024,
  max_files_per_upload: 50,
};

export const ACCEPT_ATTRIBUTE = ALLOWED_EXTENSIONS.join(",");

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot).toLowerCase() : "";
}

/** Why the file cannot be sent, or null when it may be. */
export function precheck(
  file: Pick<File, "name" | "size">,
  maxBytes = DEFAULT_LIMITS.max_file_bytes,
): string | null {
  const extension = extensionOf(file.name);
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(extension)) {
    return extension
      ? `${extension} files are not supported. Allowed: ${ALLOWED_EXTENSIONS.join(" ")}.`
      : `The file has no extension. Allowed: ${ALLOWED_EXTENSIONS.join(" ")}.`;
  }
  if (file.size === 0) return "The file is empty.";
  if (file.size > maxBytes) {
    return `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`;
  }
  return null;
}
