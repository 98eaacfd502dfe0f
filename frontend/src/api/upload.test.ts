import { describe, expect, it } from "vitest";

import { perFileProgress } from "./upload";

describe("per-file upload progress", () => {
  it("fills the files in order", () => {
    expect(perFileProgress([100, 300], 0, 400)).toEqual([0, 0]);
    expect(perFileProgress([100, 300], 50, 400)).toEqual([0.5, 0]);
    expect(perFileProgress([100, 300], 250, 400)).toEqual([1, 0.5]);
    expect(perFileProgress([100, 300], 400, 400)).toEqual([1, 1]);
  });

  it("spreads the multipart overhead over the files", () => {
    // 400 bytes of files in a 440-byte body: half the body is half the files.
    expect(perFileProgress([200, 200], 220, 440)).toEqual([1, 0]);
  });
});
