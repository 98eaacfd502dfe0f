import { describe, expect, it } from "vitest";

import { makeJob } from "../../test/fakes";
import { initialLiveState, liveReducer } from "./liveJobs";

describe("live job table", () => {
  it("merges snapshots so a followed job does not vanish", () => {
    let state = liveReducer(initialLiveState, { type: "seed", job: makeJob({ id: "mine" }) });
    state = liveReducer(state, {
      type: "message",
      message: { type: "snapshot", jobs: [makeJob({ id: "other" })] },
    });
    expect(Object.keys(state.jobs).sort()).toEqual(["mine", "other"]);
  });

  it("does not let an upload's late 202 roll back what the socket said", () => {
    const running = makeJob({ id: "j", state: "running", progress: 0.3 });
    let state = liveReducer(initialLiveState, {
      type: "message",
      message: { type: "job", job: running },
    });
    state = liveReducer(state, { type: "seed", job: makeJob({ id: "j", state: "scheduled" }) });
    expect(state.jobs.j).toBe(running);
    state = liveReducer(state, { type: "put", job: makeJob({ id: "j", state: "pending" }) });
    expect(state.jobs.j).toBe(running);
    const cancelling = makeJob({ id: "j", state: "cancelling", progress: 0.3 });
    state = liveReducer(state, { type: "put", job: cancelling });
    expect(state.jobs.j).toBe(cancelling);
  });
});
