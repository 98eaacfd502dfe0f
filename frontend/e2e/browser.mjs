// Launches Debian's chromium through playwright-core (no downloaded browser builds here).
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-dev-shm-usage",
  "--disable-gpu",
  // Scrollbars take width from the page and vanish in full-page screenshots, which then crop.
  "--hide-scrollbars",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    // The flags above already make it headless; stop playwright adding its own variant.
    headless: false,
  });
}

/** A page that records console errors and failed requests, so a test can assert there were none. */
export async function openPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // The browser logs every non-2xx fetch; /readyz answering 503 while a service is down is
    // expected (the system strip shows it), so it is not a problem of the page.
    if (msg.text().startsWith("Failed to load resource") && msg.location().url.endsWith("/readyz"))
      return;
    problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}
