/**
 * Domain names for the generated schema types. The schema component names come from the
 * backend's Pydantic classes, so when they change only this file follows.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Job = Schemas["JobPublic"];
export type JobDocument = Schemas["JobDocumentPublic"];
export type JobState = Job["state"];
export type JobKind = Job["kind"];
export type Stage = JobDocument["stage"];
export type Document = Schemas["DocumentPublic"];
export type DocumentStatus = Document["status"];
export type UploadAccepted = Schemas["UploadAccepted"];
export type Rejection = NonNullable<UploadAccepted["rejected"]>[number];
export type UploadLimits = Schemas["UploadLimits"];
export type StorageUsage = Schemas["StorageUsage"];
export type Citation = Schemas["Citation"];
export type QueryResponse = Schemas["QueryAnswer"];
export type ApiKey = Schemas["ApiKeyPublic"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type User = Schemas["UserPublic"];
export type NotifyChoice = User["notify"];
export type Readiness = Schemas["Readiness"];
export type ComponentHealth = Readiness["components"][string];
export type Webhook = Schemas["WebhookPublic"];
export type WebhookSaved = Schemas["WebhookSaved"];
export type Notification = Schemas["NotificationPublic"];
export type AdminHealth = Schemas["AdminHealth"];
export type HealthPoint = Schemas["HealthPoint"];
export type WorkerHealth = Schemas["WorkerHealth"];
export type Analytics = Schemas["Analytics"];
export type DayUsage = Schemas["DayUsage"];
export type RouteUsage = Schemas["RouteUsage"];
export type ReingestSchedule = Schemas["ReingestSchedule"];
export type ReingestCounts = NonNullable<Job["counts"]>;

/** WebSocket messages, server → client (API.md, "WebSocket messages"). */
export type LiveMessage = { type: "snapshot"; jobs: Job[] } | { type: "job"; job: Job };

export const FINISHED_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "completed",
  "failed",
  "cancelled",
  "crashed",
]);
export const CANCELLABLE_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "scheduled",
  "pending",
  "running",
]);
export const RETRYABLE_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "failed",
  "cancelled",
  "crashed",
]);

export function isFinished(job: Pick<Job, "state">): boolean {
  return FINISHED_JOB_STATES.has(job.state);
}
