// The end-to-end checks, in order. Each gets a fresh browser context (so a fresh session).

/** Signs in through the form; leaves the page on the upload page. */
export async function signIn(page, config) {
  await page.goto(`${config.baseUrl}/`);
  await page.getByLabel("Username").fill(config.username);
  await page.getByLabel("Password").fill(config.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Upload" }).waitFor();
}

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
    name: "sign-in-and-navigate",
    async run({ page, config, shot }) {
      if (!config.password)
        throw new Error("set E2E_PASSWORD (and E2E_USERNAME) for the signed-in checks");
      await signIn(page, config);
      for (const name of ["Jobs", "Documents", "Ask", "API keys", "Upload"]) {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
        await page.getByRole("heading", { level: 1, name }).waitFor();
      }
      await shot("upload");
    },
  },
];
