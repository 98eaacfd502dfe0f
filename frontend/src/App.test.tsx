import { describe, expect, it } from "vitest";

import { pageFor } from "./App";

describe("pages", () => {
  it("opens a job's own page from a notification's link", () => {
    expect(pageFor("/jobs/0123456789abcdef")?.title).toBe("Job 01234567");
    expect(pageFor("/jobs")?.title).toBe("Jobs");
    expect(pageFor("/admin/health")?.entry?.admin).toBe(true);
    expect(pageFor("/nope")).toBeNull();
  });
});
