// The end-to-end checks, in order. Each gets a fresh browser context (so a fresh session and an
// empty upload queue), but they share one user and one stack and build on each other: start with
// a user who has nothing (tests/e2e/test_browser.py creates one), and run them all, in order.
// Files are made here, in memory, and handed to the file picker (setInputFiles).

/** Job ends and ingestion can take a while on a busy 2-core box; everything else is quick. */
const JOB_TIMEOUT_MS = 90_000;

const PAGES = [
  { name: "Upload", shot: "upload", empty: /No files yet/ },
  { name: "Jobs", shot: "jobs", empty: /No jobs yet/ },
  { name: "Documents", shot: "documents", empty: /No documents yet/ },
  { name: "Ask", shot: "ask", empty: /Answers come only from your own documents/ },
  { name: "API keys", shot: "api-keys", empty: /No API keys yet/ },
];

/** Two small documents with one fact each, and the question each one answers. */
const FACTS = [
  {
    name: "harbour.md",
    text:
      "# Port Veller harbour\n\nThe lighthouse at Port Veller is painted cobalt blue and was " +
      "built in 1887 by the engineer Marta Quillon.\n",
    question: "Who built the lighthouse at Port Veller?",
  },
  {
    name: "orchard.txt",
    text:
      "The Brennick orchard grows forty-two varieties of pear. Its oldest tree, " +
      "planted in 1903, still gives fruit every autumn.\n",
    question: "How many pear varieties does the Brennick orchard grow?",
  },
];

/** Generated texts differ from run to run, so no cache of an earlier run short-cuts them. */
const RUN_SEED = (Date.now() % 2_000_000_000) + 1;
/** Big enough that embedding takes a few seconds, so the progress bar visibly moves. */
const MEDIUM_BYTES = 40_000;
/** Big enough that the job is still running when we cancel it. */
const LONG_BYTES = 2_500_000;

export const tests = [
  {
    name: "sign-in-page",
    async run({ page, config, shot }) {
      await page.goto(`${config.baseUrl}/`);
      await page.getByRole("heading", { name: "Sign in to ragline" }).waitFor();
      await page.getByText(/API: up/).waitFor();
      await shot("sign-in");
    },
  },
  {
    name: "empty-pages",
    async run({ page, config, shot }) {
      await signIn(page, config);
      for (const { name, shot: file, empty } of PAGES) {
        await goTo(page, name);
        await page.getByText(empty).waitFor();
        await shot(`empty-${file}`);
      }
    },
  },
  {
    name: "upload-and-watch-progress",
    async run({ page, config, shot }) {
      await signIn(page, config);
      const medium = { name: "atlas.txt", text: proseText(MEDIUM_BYTES, RUN_SEED) };
      await chooseFiles(page, [...FACTS, medium]);

      const readings = await watchProgress(page, medium.name, () =>
        Promise.all([...FACTS, medium].map(({ name }) => isDone(page, name))).then((done) =>
          done.every(Boolean),
        ),
      );
      // Part-way through embedding, both the bar and the chunk count must move at least once.
      const partway = readings.filter((r) => r.done < r.total && r.value > 0 && r.value < 100);
      const moved = partway.some(
        (r, i) => i > 0 && r.value > partway[i - 1].value && r.done > partway[i - 1].done,
      );
      if (!moved) throw new Error(`the progress of ${medium.name} never moved while embedding`);
      // The job ends a moment after its last document.
      await item(page, medium.name)
        .getByRole("link", { name: "Job: Completed" })
        .waitFor({ timeout: JOB_TIMEOUT_MS });
      await shot("upload-done");
    },
  },
  {
    name: "ask-cites-the-right-file",
    async run({ page, config, shot }) {
      await signIn(page, config);
      await goTo(page, "Ask");
      for (const { name, question } of FACTS) {
        await page.getByLabel("Question").fill(question);
        await page.getByRole("button", { name: "Ask", exact: true }).click();
        const sources = page.getByRole("region", { name: "Sources" }).getByRole("listitem");
        await sources.first().waitFor();
        const cited = await sources.first().getByRole("link").innerText();
        if (cited !== name) throw new Error(`"${question}" cited ${cited} first, not ${name}`);
      }
      await shot("ask-answer");
    },
  },
  {
    name: "cancel-a-long-job",
    async run({ page, config, shot }) {
      await signIn(page, config);
      const file = { name: "saga.txt", text: proseText(LONG_BYTES, RUN_SEED + 1) };
      await chooseFiles(page, [file]);
      const jobLink = item(page, file.name).getByRole("link", { name: /^Job: / });
      await jobLink.filter({ hasText: "Running" }).waitFor({ timeout: JOB_TIMEOUT_MS });
      const jobId = jobIdOf(await jobLink.getAttribute("href"));
      await jobLink.click();

      const row = page.locator(`#job-${jobId}`);
      await row.getByRole("button", { name: /^Cancel job/ }).click();
      await page.getByText(`Asked job ${jobId.slice(0, 8)} to stop.`).waitFor();
      await row
        .locator(".badge", { hasText: /^Cancelled$/ })
        .first()
        .waitFor({
          timeout: JOB_TIMEOUT_MS,
        });
      await row.getByRole("button", { name: /^Retry job/ }).waitFor();
      await shot("jobs-cancelled");
    },
  },
  {
    name: "retry-a-failed-job",
    async run({ page, config, shot }) {
      await signIn(page, config);
      // Sniffed as a PDF, so it is accepted, but PDFium cannot open it.
      const broken = { name: "broken.pdf", buffer: brokenPdf(), mimeType: "application/pdf" };
      await chooseFiles(page, [broken]);
      const row = item(page, broken.name);
      await row.getByText("damaged or truncated").waitFor({ timeout: JOB_TIMEOUT_MS });
      const jobLink = row.getByRole("link", { name: "Job: Failed" });
      const failedId = jobIdOf(await jobLink.getAttribute("href"));
      await jobLink.click();

      const failed = page.locator(`#job-${failedId}`);
      await failed.getByText("damaged or truncated").waitFor();
      await failed.getByRole("button", { name: /^Retry job/ }).click();
      const notice = page.getByText(/^Retrying as job [0-9a-f]{8}\.$/);
      await notice.waitFor();
      const newId = /job ([0-9a-f]{8})/.exec(await notice.innerText())[1];
      if (failedId.startsWith(newId)) throw new Error("the retry reused the failed job's id");
      const retry = page.getByRole("listitem", { name: new RegExp(`^Job ${newId}, `) });
      await retry.getByRole("link", { name: `job ${failedId.slice(0, 8)}` }).waitFor();
      await shot("jobs-retry");
    },
  },
  {
    name: "every-page",
    async run({ page, config, shot }) {
      await signIn(page, config);
      for (const { name, shot: file } of PAGES) {
        await goTo(page, name);
        if (name === "Jobs") await page.locator(".job-list .job").first().waitFor();
        if (name === "Documents") {
          await page.getByRole("rowheader", { name: FACTS[0].name }).waitFor();
          await page.getByText(/^You store .+ of .+ documents/).waitFor();
        }
        if (name === "API keys") {
          await page.getByLabel("Name").fill("nightly sync");
          await page.getByRole("button", { name: "Create key" }).click();
          await page.getByLabel("The new API key").waitFor();
        }
        await shot(file);
      }
    },
  },
  {
    name: "narrow-screen",
    options: { viewport: { width: 390, height: 844 } },
    async run({ page, config, shot }) {
      await signIn(page, config);
      for (const name of ["Jobs", "Documents"]) {
        await goTo(page, name);
        await page.locator(".job, tbody tr").first().waitFor();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) throw new Error(`${name} scrolls sideways by ${overflow} px at 390 px`);
        await shot(`narrow-${name.toLowerCase()}`);
      }
    },
  },
  {
    name: "job-detail-page",
    async run({ page, config, shot }) {
      await signIn(page, config);
      await goTo(page, "Jobs");
      const link = page.locator(".job-list .job__title").first();
      const target = await link.getAttribute("href");
      await link.click();
      const id = /^#\/jobs\/([0-9a-f]+)$/.exec(target ?? "")?.[1];
      if (!id) throw new Error(`a job's title links to ${target}, not to its page`);
      await page.getByRole("heading", { level: 1, name: `Job ${id.slice(0, 8)}` }).waitFor();
      await page.locator(`#job-${id}`).waitFor();
      // What a notification's link does: open the page straight from the address.
      await page.goto(`${config.baseUrl}/#/jobs/${id}`);
      await page.locator(`#job-${id} .badge`).first().waitFor();
      if ((await page.getByText("Page not found").count()) > 0)
        throw new Error("a job's own page is not found");
      await checkWidths(page, "job-detail", shot, [page.locator(`#job-${id}`)]);
    },
  },
  {
    name: "my-account",
    async run({ page, config, shot }) {
      await signIn(page, config);
      await goTo(page, "My account");
      await page.getByLabel("Only failed and crashed jobs").check();
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("Saved.").waitFor();
      await page.getByLabel("URL").fill("http://127.0.0.1:9/ragline-hook");
      await page.getByRole("button", { name: "Save webhook" }).click();
      const secret = await page.getByLabel(/The signing secret/).inputValue();
      if (!secret.startsWith("whsec_")) throw new Error(`the webhook secret shown is ${secret}`);
      await page.getByRole("heading", { name: "Notifications sent" }).waitFor();
      await checkWidths(page, "account", shot, [
        page.getByRole("heading", { name: "E-mail and notifications" }),
        page.getByRole("button", { name: "Change password" }),
        page.getByRole("button", { name: "Save webhook" }),
      ]);
    },
  },
  {
    name: "admin-system-health",
    admin: true,
    async run({ page, config, shot }) {
      await signIn(page, admin(config));
      await goTo(page, "System health");
      const components = page.getByRole("list", { name: "Components" });
      for (const name of [
        "Database",
        "Prefect",
        "Ingestion worker",
        "Chroma",
        "Mail server",
        "Data disk",
      ])
        await components.getByRole("listitem", { name: `${name}: up` }).waitFor();
      // The sampler takes a sample every few seconds; the page refreshes itself.
      await page
        .getByRole("figure", { name: "Latency of each component over the last hour" })
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole("cell", { name: /Polling/ })
        .first()
        .waitFor();
      await page.getByRole("link", { name: "work pool ↗" }).waitFor();
      await checkWidths(page, "admin-health", shot, [
        components,
        page.getByRole("figure", { name: "Latency of each component over the last hour" }),
        page.getByRole("heading", { name: "Who picks up runs" }),
      ]);
    },
  },
  {
    name: "admin-analytics",
    admin: true,
    async run({ page, config, shot }) {
      await signIn(page, admin(config));
      await goTo(page, "Analytics");
      await page.getByRole("figure", { name: "Requests per day" }).waitFor();
      await page.getByRole("rowheader", { name: "GET /api/v1/me", exact: true }).waitFor();
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download per day (CSV)" }).click(),
      ]);
      if (!csv.suggestedFilename().endsWith(".csv"))
        throw new Error(`the CSV download is named ${csv.suggestedFilename()}`);
      await checkWidths(page, "admin-analytics", shot, [
        page.getByRole("figure", { name: "Requests per day" }),
        page.getByRole("heading", { name: "Per route" }),
      ]);
    },
  },
  {
    name: "admin-users",
    admin: true,
    async run({ page, config, shot }) {
      await signIn(page, admin(config));
      await goTo(page, "Users");
      const name = `console${RUN_SEED}`;
      await page.getByText("New user").click();
      await page.getByLabel("Username").fill(name);
      await page.getByLabel("Password").fill(`${name}-password`);
      await page.getByRole("button", { name: "Create user" }).click();
      await page.getByText(`Created ${name}.`).waitFor();
      const row = page.getByRole("row", { name: `User ${name}` });
      await row.getByRole("button", { name: "Disable" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
      await row.getByText("Disabled").waitFor();
      await row.getByRole("button", { name: "Quotas" }).click();
      await page.getByLabel(/Storage/).fill("2");
      await page.getByRole("button", { name: "Save quotas" }).click();
      await row.getByText("2.0 GB").waitFor();
      await checkWidths(page, "admin-users", shot, [row, page.getByText("New user")]);
      await row.getByRole("button", { name: "Enable" }).click();
      await page.getByText(`${name} is enabled.`).waitFor();
    },
  },
  {
    name: "admin-reingestion",
    admin: true,
    async run({ page, config, shot }) {
      await signIn(page, admin(config));
      await goTo(page, "Re-ingestion");
      const schedule = page.getByRole("region", { name: "Nightly schedule" });
      await schedule.getByText("every day at 03:00 UTC").waitFor();
      await schedule.getByRole("button", { name: "Pause the nightly run" }).click();
      await schedule.locator(".badge", { hasText: /^Paused$/ }).waitFor();
      await schedule.getByRole("button", { name: "Resume the nightly run" }).click();
      await schedule.locator(".badge", { hasText: /^Active$/ }).waitFor();

      await page.getByRole("button", { name: "Start re-ingestion" }).click();
      const started = page.getByText(/^Started re-ingestion [0-9a-f]{8}\.$/);
      await started.waitFor();
      const id = /([0-9a-f]{8})\.$/.exec(await started.innerText())[1];
      const job = page.getByRole("listitem", { name: new RegExp(`^Job ${id}, `) });
      await job
        .locator(".badge", { hasText: /^Completed$/ })
        .first()
        .waitFor({ timeout: JOB_TIMEOUT_MS });
      await job
        .getByLabel("Re-ingestion counts")
        .getByText(/skipped/)
        .waitFor();
      await checkWidths(page, "admin-reingest", shot, [job, schedule]);
    },
  },
];

/** Signs in through the form; leaves the page on the upload page. */
export async function signIn(page, config) {
  if (!config.password) throw new Error("set E2E_PASSWORD (and E2E_USERNAME)");
  await page.goto(`${config.baseUrl}/`);
  await page.getByLabel("Username").fill(config.username);
  await page.getByLabel("Password").fill(config.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Upload" }).waitFor();
}

/** The admin's credentials, for the console's admin pages. */
function admin(config) {
  return { ...config, username: config.adminUsername, password: config.adminPassword };
}

/**
 * The screenshot check: at 1280 and 390 pixels wide the page does not scroll sideways and each
 * key element is visible; a full-page screenshot of each width goes to the shots folder.
 */
async function checkWidths(page, name, shot, keys) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 800 ? 800 : 844 });
    await page.waitForTimeout(300); // charts re-measure their container
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) throw new Error(`${name} scrolls sideways by ${overflow} px at ${width} px`);
    for (const key of keys) {
      await key.first().scrollIntoViewIfNeeded();
      if (!(await key.first().isVisible()))
        throw new Error(`${name}: ${key} is not visible at ${width} px`);
    }
    await shot(`${name}-${width}`);
  }
}

async function goTo(page, name) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  // Wait for the page's data: its loading lines (one per section) go once the answers are in.
  const loading = page.getByRole("status").filter({ hasText: /^Loading / });
  for (const started = Date.now(); (await loading.count()) > 0;) {
    if (Date.now() - started > 15_000) throw new Error(`${name} is still loading after 15 s`);
    await page.waitForTimeout(50);
  }
}

/** Hands files to the upload page's picker, as a user choosing them in the dialog would. */
async function chooseFiles(page, files) {
  await page.getByLabel("Choose files").setInputFiles(
    files.map(({ name, text, buffer, mimeType }) => ({
      name,
      mimeType: mimeType ?? (name.endsWith(".md") ? "text/markdown" : "text/plain"),
      buffer: buffer ?? Buffer.from(text, "utf8"),
    })),
  );
}

/** The upload queue's row for a file. */
function item(page, name) {
  return page
    .locator(".upload-item")
    .filter({ has: page.locator(".upload-item__name", { hasText: new RegExp(`^${name}$`) }) });
}

async function isDone(page, name) {
  const row = item(page, name);
  if ((await row.locator(".badge", { hasText: /^(Failed|Cancelled)$/ }).count()) > 0)
    throw new Error(`${name}: ${await row.innerText()}`);
  return (await row.locator(".badge", { hasText: /^Done$/ }).count()) > 0;
}

/**
 * Samples a file's progress bar and chunk count until `finished()`; returns each distinct
 * reading `{ value, done, total }` (percent, chunks embedded, chunks in all) and logs them.
 */
async function watchProgress(page, name, finished) {
  const row = item(page, name);
  const bar = page.getByRole("progressbar", { name: `Processing of ${name}` });
  const started = Date.now();
  const readings = [];
  const log = [];
  for (;;) {
    if ((await bar.count()) > 0) {
      const value = Number(await bar.getAttribute("aria-valuenow"));
      const [, done = 0, total = 0] = /(\d+) \/ (\d+) chunks/.exec(await row.innerText()) ?? [];
      const last = readings.at(-1);
      if (!last || last.value !== value || last.done !== Number(done)) {
        readings.push({ value, done: Number(done), total: Number(total) });
        log.push(`${value} % ${done}/${total} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
    if (await finished()) break;
    if (Date.now() - started > JOB_TIMEOUT_MS)
      throw new Error(`${name} did not finish; progress seen: ${log.join(", ")}`);
    await page.waitForTimeout(100);
  }
  console.log(`     ${name}: ${log.join(" → ")}`);
  return readings;
}

/** The job id in a link to the jobs page (`#/jobs?job=<id>`). */
function jobIdOf(link) {
  const id = new URLSearchParams((link ?? "").split("?")[1] ?? "").get("job");
  if (!id) throw new Error(`no job id in ${link}`);
  return id;
}

/** Prose-like text of about `bytes` bytes (varied words, sentences, paragraphs), deterministic. */
function proseText(bytes, seed) {
  const words = (
    "river mountain engine protocol garden harvest ledger orbit signal lantern copper meadow " +
    "archive compiler voyage thunder canvas harbor crystal market falcon glacier theorem " +
    "velvet island pepper quartz rhythm saddle tunnel"
  ).split(" ");
  // xorshift32: the low bits of a plain LCG repeat quickly, and repeated text chunks alike.
  let state = seed || 1;
  const next = (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const paragraphs = [];
  let size = 0;
  while (size < bytes) {
    const sentences = [];
    for (let s = 0; s < 6; s += 1) {
      const sentence = Array.from({ length: 8 + next(11) }, () => words[next(words.length)]);
      sentence[0] = sentence[0][0].toUpperCase() + sentence[0].slice(1);
      sentences.push(`${sentence.join(" ")}.`);
    }
    const paragraph = sentences.join(" ");
    paragraphs.push(paragraph);
    size += paragraph.length + 2;
  }
  return paragraphs.join("\n\n");
}

/** A PDF header followed by garbage: passes type sniffing, fails parsing. */
function brokenPdf() {
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i += 1) garbage[i] = (i * 7919) % 256;
  return Buffer.concat([Buffer.from("%PDF-1.4\n"), garbage]);
}
