/**
 * The upload queue, kept above the pages so uploads go on while the user looks elsewhere.
 * Ready files are sent at once, up to MAX_FILES_PER_REQUEST per request, one request at a time.
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

import { ApiError, handleError } from "../../api/errors";
import { perFileProgress, uploadFiles } from "../../api/upload";
import { useLiveJobs } from "../live/LiveJobsProvider";
import { MAX_FILES_PER_REQUEST } from "./precheck";
import { type UploadItem, uploadReducer } from "./uploadState";

/** Whole-request refusals: every file was refused for the same kind of reason. */
const REFUSALS = new Set([413, 415, 422]);

interface UploadContextValue {
  items: readonly UploadItem[];
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

  useEffect(() => {
    if (busy.current) return;
    const batch = items.filter((item) => item.phase === "ready").slice(0, MAX_FILES_PER_REQUEST);
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
  }, [items, seed, finishedRequests]);

  const add = useCallback((files: readonly File[]) => dispatch({ type: "add", files }), []);
  const remove = useCallback((key: string) => dispatch({ type: "remove", key }), []);
  const retry = useCallback((key: string) => dispatch({ type: "retry", key }), []);
  const clearFinished = useCallback(() => dispatch({ type: "clear-finished" }), []);

  const value = useMemo(
    () => ({ items, add, remove, retry, clearFinished }),
    [items, add, remove, retry, clearFinished],
  );
  return <UploadContext.Provider value={value}>{children}</UploadContext.Provider>;
}

export function useUploads(): UploadContextValue {
  const value = useContext(UploadContext);
  if (!value) throw new Error("useUploads needs an UploadProvider");
  return value;
}
