/**
 * The upload queue, kept above the pages so uploads go on while the user looks elsewhere.
 * Ready files are sent at once, up to the server's `max_files_per_upload` per request, one
 * request at a time. The server's limits are read once; until then (or if that fails) the
 * defaults apply, and the server still has the last word.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";

import { call, api } from "../../api/client";
import { ApiError, handleError } from "../../api/errors";
import type { UploadLimits } from "../../api/types";
import { perFileProgress, uploadFiles } from "../../api/upload";
import { useLiveJobs } from "../live/LiveJobsProvider";
import { DEFAULT_LIMITS } from "./precheck";
import { type UploadItem, uploadReducer } from "./uploadState";

/** Whole-request refusals: every file was refused for the same kind of reason. */
const REFUSALS = new Set([413, 415, 422]);

interface UploadContextValue {
  items: readonly UploadItem[];
  limits: UploadLimits;
  add(files: readonly File[]): void;
  remove(key: string): void;
  retry(key: string): void;
  clearFinished(): void;
}

const UploadContext = createContext<UploadContextValue | null>(null);

export function UploadProvider({ children }: { children: ReactNode }) {
  const [items, dispatch] = useReducer(uploadReducer, []);
  const { seed } = useLiveJobs();
  const busy = useRef(false);
  // Bumped when a request ends, so the effect looks for the next batch.
  const [finishedRequests, setFinishedRequests] = useState(0);
  const [limits, setLimits] = useState<UploadLimits>(DEFAULT_LIMITS);

  useEffect(() => {
    const controller = new AbortController();
    call(api.GET("/api/v1/documents/limits", { signal: controller.signal }))
      .then(setLimits)
      .catch(() => {}); // the defaults stand in; the server still refuses what is too large
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (busy.current) return;
    const batch = items
      .filter((item) => item.phase === "ready")
      .slice(0, limits.max_files_per_upload);
    if (batch.length === 0) return;
    busy.current = true;
    const keys = batch.map((item) => item.key);
    const sizes = batch.map((item) => item.file.size);
    dispatch({ type: "started", keys });
    const request = uploadFiles(
      batch.map((item) => item.file),
      (loaded, total) =>
        dispatch({ type: "progress", keys, fractions: perFileProgress(sizes, loaded, total) }),
    );
    request.promise
      .then((response) => {
        seed(response.job);
        dispatch({ type: "accepted", keys, response });
      })
      .catch((error: unknown) => {
        const problem = handleError(error);
        const refused = error instanceof ApiError && REFUSALS.has(error.status);
        dispatch({ type: "failed", keys, phase: refused ? "rejected" : "failed", problem });
      })
      .finally(() => {
        busy.current = false;
        setFinishedRequests((n) => n + 1);
      });
  }, [items, seed, finishedRequests, limits]);

  const add = useCallback(
    (files: readonly File[]) => dispatch({ type: "add", files, maxBytes: limits.max_file_bytes }),
    [limits],
  );
  const remove = useCallback((key: string) => dispatch({ type: "remove", key }), []);
  const retry = useCallback((key: string) => dispatch({ type: "retry", key }), []);
  const clearFinished = useCallback(() => dispatch({ type: "clear-finished" }), []);

  const value = useMemo(
    () => ({ items, limits, add, remove, retry, clearFinished }),
    [items, limits, add, remove, retry, clearFinished],
  );
  return <UploadContext.Provider value={value}>{children}</UploadContext.Provider>;
}

export function useUploads(): UploadContextValue {
  const value = useContext(UploadContext);
  if (!value) throw new Error("useUploads needs an UploadProvider");
  return value;
}
