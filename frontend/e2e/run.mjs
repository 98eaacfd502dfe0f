// Browser end-to-end checks against a running ragline (`make run`), e.g.
//   E2E_BASE_URL=http://127.0.0.1:8000 E2E_USERNAME=admin E2E_PASSWORD=... npm run e2e
// The console's admin pages sign in as E2E_ADMIN_USERNAME / E2E_ADMIN_PASSWORD (skipped without).
// Screenshots go to E2E_SHOTS (default test-results/, git-ignored). Exits non-zero when a check fails.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { launch, openPage } from "./browser.mjs";
import { tests } from "./tests.mjs";

const config = {
  baseUrl: (process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, ""),
  username: process.env.E2E_USERNAME ?? "admin",
  password: process.env.E2E_PASSWORD ?? "",
  adminUsername: process.env.E2E_ADMIN_USERNAME ?? "",
  adminPassword: process.env.E2E_ADMIN_PASSWORD ?? "",
  shots: process.env.E2E_SHOTS ?? join(import.meta.dirname, "..", "test-results"),
};

const only = process.argv.slice(2);
const chosen = only.length ? tests.filter((t) => only.includes(t.name)) : tests;
const selected = chosen.filter((t) => !t.admin || config.adminPassword);
for (const test of chosen.filter((t) => !selected.includes(t)))
  console.log(`skip ${test.name} (set E2E_ADMIN_USERNAME and E2E_ADMIN_PASSWORD)`);

await mkdir(config.shots, { recursive: true });
const browser = await launch();
let passed = 0;
let failed = 0;
try {
  for (const test of selected) {
    const { context, page, problems } = await openPage(browser, test.options);
    const started = Date.now();
    try {
      await test.run({
        page,
        config,
        shot: (name) =>
          page.screenshot({ path: join(config.shots, `${name}.png`), fullPage: true }),
      });
      if (problems.length)
        throw new Error(`browser reported problems:\n  ${problems.join("\n  ")}`);
      passed += 1;
      console.log(`ok   ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${test.name}: ${error instanceof Error ? error.message : error}`);
      await page
        .screenshot({ path: join(config.shots, `FAIL-${test.name}.png`), fullPage: true })
        .catch(() => {});
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
