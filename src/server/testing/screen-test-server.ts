import type { TestProject } from "vitest/node";
import { createTestApp } from "./app.js";

/**
 * Vitest global setup of the `dom` project (`*.test.tsx`, screens under jsdom): one embedded
 * Gantry on a free local port for the whole run, which the screens reach through the real
 * typed client (src/client/testing/). It runs here, in Node, because a server cannot run
 * inside jsdom; each test makes its own accounts, so tests do not see each other's data.
 */
export const SCREEN_TEST_ADMIN = { email: "admin@screens.test", password: "admin-password-screens" } as const;

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the test server listens, e.g. `http://127.0.0.1:41234`. */
    apiOrigin: string;
    /** The admin account the server bootstraps (ADMIN_EMAIL / ADMIN_PASSWORD). */
    screenAdmin: { email: string; password: string };
  }
}

export default async function setup(project: TestProject) {
  const app = await createTestApp("embedded", {
    ADMIN_EMAIL: SCREEN_TEST_ADMIN.email,
    ADMIN_PASSWORD: SCREEN_TEST_ADMIN.password,
    // Payments settle at once, so a screen shows the outcome without waiting half a second.
    SANDBOX_SETTLE_DELAY_MS: "0",
  });
  const address = app.gantry.http?.server.address();
  if (!address || typeof address === "string") throw new Error("the screen test server is not listening on TCP");
  project.provide("apiOrigin", `http://127.0.0.1:${address.port}`);
  project.provide("screenAdmin", { ...SCREEN_TEST_ADMIN });
  return () => app.close();
}
