import { describe, expect, it } from "vitest";

import { precheck } from "./precheck";

describe("upload pre-checks", () => {
  it("accepts the supported types whatever the case", () => {
    for (const name of [
      "a.pdf",
      "b.DOCX",
      "c.pptx",
      "d.html",
      "e.htm",
      "f.md",
      "g.markdown",
      "h.txt",
      "i.csv",
      "j.eml",
    ]) {
      expect(precheck({ name, size: 10 })).toBeNull();
    }
  });

  it("says why a file is refused", () => {
    expect(precheck({ name: "x.exe", size: 10 })).toMatch(/^\.exe files are not supported/);
    expect(precheck({ name: "README", size: 10 })).toMatch(/no extension/);
    expect(precheck({ name: ".pdf", size: 10 })).toMatch(/no extension/);
    expect(precheck({ name: "a.pdf", size: 0 })).toBe("The file is empty.");
    expect(precheck({ name: "a.pdf", size: 2048 }, 1024)).toBe(
      "The file is 2.0 KB; the limit is 1.0 KB.",
    );
  });
});
