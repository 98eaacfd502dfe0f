/** Cancel and retry, as every page that lists jobs offers them: the job back, and what to say. */
import { api, call } from "../../api/client";
import type { Job } from "../../api/types";
import { shortId } from "./JobList";

export type JobAction = "cancel" | "retry";

export async function runJobAction(
  job: Job,
  action: JobAction,
): Promise<{ job: Job; text: string }> {
  const path = { params: { path: { job_id: job.id } } };
  if (action === "cancel") {
    return {
      job: await call(api.POST("/api/v1/jobs/{job_id}/cancel", path)),
      text: `Asked job ${shortId(job.id)} to stop.`,
    };
  }
  const retry = await call(api.POST("/api/v1/jobs/{job_id}/retry", path));
  return { job: retry, text: `Retrying as job ${shortId(retry.id)}.` };
}
