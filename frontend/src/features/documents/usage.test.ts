import { describe, expect, it } from "vitest";

import { nearLimit, usageWords } from "./usage";

describe("storage usage", () => {
  it("says what is used of what is allowed", () => {
    const usage = {
      bytes_used: 1536 * 1024,
      bytes_allowed: 5 * 1024 ** 3,
      documents: 1234,
      documents_allowed: 10_000,
    };
    expect(usageWords(usage)).toBe("You store 1.5 MB of 5.0 GB · 1,234 of 10,000 documents");
    expect(nearLimit(usage)).toBe(false);
  });

  it("leaves out a limit the server does not set", () => {
    const usage = { bytes_used: 10, bytes_allowed: null, documents: 1, documents_allowed: null };
    expect(usageWords(usage)).toBe("You store 10 B · 1 document");
    expect(nearLimit(usage)).toBe(false);
  });

  it("warns from nine tenths of either limit", () => {
    const usage = { bytes_used: 10, bytes_allowed: 1000, documents: 9, documents_allowed: 10 };
    expect(nearLimit(usage)).toBe(true);
  });
});
