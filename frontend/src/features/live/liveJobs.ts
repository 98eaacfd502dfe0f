/** The live job table, as a pure reducer over socket messages, poll results and API answers. */
import type { LiveStatus } from "../../api/live";
import type { Job, JobState, LiveMessage } from "../../api/types";

export interface LiveState {
  jobs: Readonly<Record<string, Job>>;
  status: LiveStatus;
}

export type LiveAction =
  | { type: "message"; message: LiveMessage }
  /** A job from an HTTP answer (upload, cancel, poll): may be older than what the socket said. */
  | { type: "put"; job: Job }
  /** A job just created (the upload's 202): the socket may already know it better. */
  | { type: "seed"; job: Job }
  | { type: "forget"; id: string }
  | { type: "status"; status: LiveStatus };

export const initialLiveState: LiveState = { jobs: {}, status: "connecting" };

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case "message": {
      const { message } = action;
      // A snapshot is merged, not swapped in: it lists unfinished jobs and the recent finished
      // ones, and a job this tab follows (just uploaded) must not blink out.
      const incoming = message.type === "snapshot" ? message.jobs : [message.job];
      const jobs = { ...state.jobs };
      for (const job of incoming) jobs[job.id] = job;
      return { ...state, jobs };
    }
    case "seed":
      if (action.job.id in state.jobs) return state;
      return { ...state, jobs: { ...state.jobs, [action.job.id]: action.job } };
    case "put": {
      const known = state.jobs[action.job.id];
      if (known && isBehind(action.job, known)) return state;
      return { ...state, jobs: { ...state.jobs, [action.job.id]: action.job } };
    }
    case "forget": {
      if (!(action.id in state.jobs)) return state;
      const jobs = { ...state.jobs };
      delete jobs[action.id];
      return { ...state, jobs };
    }
    case "status":
      return state.status === action.status ? state : { ...state, status: action.status };
  }
}

const STATE_ORDER: Record<JobState, number> = {
  scheduled: 0,
  pending: 1,
  running: 2,
  cancelling: 3,
  completed: 4,
  failed: 4,
  cancelled: 4,
  crashed: 4,
};

/**
 * Jobs only move forward, so an HTTP answer that arrives after a newer socket message (the
 * upload's 202 racing the first progress event) must not roll the job back.
 */
export function isBehind(incoming: Job, known: Job): boolean {
  const a = STATE_ORDER[incoming.state];
  const b = STATE_ORDER[known.state];
  return a < b || (a === b && incoming.progress < known.progress);
}
