import { defineConfig } from "@playwright/test";

// Browser journeys in Debian's Chromium (never a downloaded browser), against the app
// started on the real services ("services" project) and on bare embedded defaults
// ("embedded" project). Each web server makes its own database/namespace and removes it.
// E2E_PORT moves both servers, so two checkouts can run their journeys side by side.
const servicesPort = Number(process.env.E2E_PORT ?? 3310);
const embeddedPort = servicesPort + 1;
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
    trace: "retain-on-failure",
    // Numbers are shown in the browser's locale (decision 0024): one locale, so journeys can spell them.
    locale: "en-US",
  },
  projects: [
    {
      name: "services",
      testIgnore: "**/embedded*.spec.ts",
      use: { baseURL: `http://127.0.0.1:${servicesPort}` },
    },
    {
      name: "embedded",
      testMatch: "**/embedded*.spec.ts",
      use: { baseURL: `http://127.0.0.1:${embeddedPort}` },
    },
  ],
  // Start-up (migrations, PGlite's WebAssembly) takes seconds alone and over a minute on a
  // machine busy with other test runs; the generous limit only matters when it is that slow.
  webServer: [
    {
      command: `tsx e2e/support/server.ts services ${servicesPort}`,
      // With the in-process OpenID Connect provider, for e2e/sso.spec.ts.
      env: { E2E_OIDC: "1" },
      url: `http://127.0.0.1:${servicesPort}/readyz`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
    {
      command: `tsx e2e/support/server.ts embedded ${embeddedPort}`,
      url: `http://127.0.0.1:${embeddedPort}/readyz`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
  ],
});
