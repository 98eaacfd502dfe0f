/**
 * Keeps the caller's jobs live for every page: the WebSocket feed while it is open, and
 * GET /api/v1/jobs/{id} every 2 s for unfinished jobs while it is not.
 */
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
} from "react";

import { api, call } from "../../api/client";
import { ApiError, handleError } from "../../api/errors";
import { LiveSocket, type LiveStatus, liveUrl, type SocketFactory } from "../../api/live";
import { session } from "../../api/session";
import { isFinished, type Job } from "../../api/types";
import { initialLiveState, liveReducer } from "./liveJobs";

export const POLL_INTERVAL_MS = 2_000;

interface LiveContextValue {
  jobs: Readonly<Record<string, Job>>;
  status: LiveStatus;
  /** Records a job the API just returned (cancel, retry) so it shows at once. */
  put(job: Job): void;
  /** Records a job just created (upload), unless the live feed already has it. */
  seed(job: Job): void;
}

const LiveContext = createContext<LiveContextValue | null>(null);

interface Props {
  token: string;
  children: ReactNode;
  socketFactory?: SocketFactory;
  pollIntervalMs?: number;
}

export function LiveJobsProvider({
  token,
  children,
  socketFactory,
  pollIntervalMs = POLL_INTERVAL_MS,
}: Props) {
  const [state, dispatch] = useReducer(liveReducer, initialLiveState);
  const jobsRef = useRef(state.jobs);
  jobsRef.current = state.jobs;

  useEffect(() => {
    const socket = new LiveSocket(
      liveUrl(token),
      {
        message: (message) => dispatch({ type: "message", message }),
        status: (status) => dispatch({ type: "status", status }),
        unauthorized: () => session.signOut("Your session has ended. Please sign in again."),
      },
      socketFactory,
    );
    socket.start();
    return () => socket.stop();
  }, [token, socketFactory]);

  const polling = state.status === "polling";
  useEffect(() => {
    if (!polling) return;
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight) return;
      const ids = Object.values(jobsRef.current)
        .filter((job) => !isFinished(job))
        .map((job) => job.id);
      if (ids.length === 0) return;
      inFlight = true;
      Promise.all(ids.map((id) => pollJob(id)))
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
        });
    }, pollIntervalMs);

    async function pollJob(id: string): Promise<void> {
      try {
        const job = await call(
          api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: id } } }),
        );
        dispatch({ type: "put", job });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) dispatch({ type: "forget", id });
        // 401 signs out; other failures are shown by the system strip, so stay quiet here.
        else if (error instanceof ApiError && error.status === 401) handleError(error);
      }
    }
    return () => clearInterval(timer);
  }, [polling, pollIntervalMs]);

  const value = useMemo<LiveContextValue>(
    () => ({
      jobs: state.jobs,
      status: state.status,
      put: (job) => dispatch({ type: "put", job }),
      seed: (job) => dispatch({ type: "seed", job }),
    }),
    [state.jobs, state.status],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveJobs(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLiveJobs needs a LiveJobsProvider");
  return value;
}
