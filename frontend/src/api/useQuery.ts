/**
 * A small data hook: loads on mount and whenever `key` changes, cancels stale loads, and passes
 * failures through the one error handler. Enough for a handful of pages without a query library.
 */
import { useCallback, useEffect, useRef, useState } from "react";

import { handleError } from "./errors";

export interface Query<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen without a loading state. */
  reload(quiet?: boolean): void;
}

export function useQuery<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Query<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const quietRef = useRef(false);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    if (!quietRef.current) setLoading(true);
    quietRef.current = false;
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(handleError(cause));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback((quiet = false) => {
    quietRef.current = quiet;
    setGeneration((g) => g + 1);
  }, []);

  return { data, error, loading, reload };
}
