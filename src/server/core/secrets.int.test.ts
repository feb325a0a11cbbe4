import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGantry, type Gantry } from "../app.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { createTestPostgres, testServiceUrls } from "../testing/services.js";
import { loadOrCreateSecrets } from "./secrets.js";

/**
 * Services mode with no JWT_SECRET: the generated secret lives in PostgreSQL, so every
 * instance on the database signs and checks tokens with the same one, whichever started first.
 */

const OLD_CONSTANT = "gantry-embedded-development-secret-change-me";

describe("generated secrets on PostgreSQL", () => {
  let app: TestApp;
  let other: Gantry;
  let otherDataDir: string;

  beforeAll(async () => {
    app = await createTestApp("services");
    otherDataDir = await mkdtemp(join(tmpdir(), "gantry-secrets-other-"));
    const config = app.gantry.deps.config;
    other = await createGantry(
      loadConfig({
        NODE_ENV: "test",
        DATA_DIR: otherDataDir,
        NAMESPACE: config.namespace,
        LOG_LEVEL: "silent",
        DATABASE_URL: config.databaseUrl,
        REDIS_URL: testServiceUrls.redis,
        AMQP_URL: testServiceUrls.amqp,
      }),
      { http: false, workers: false, logger: pino({ level: "silent" }) },
    );
  });
  afterAll(async () => {
    await other?.stop();
    await app?.close();
    await rm(otherDataDir, { recursive: true, force: true });
  });

  it("lets a second instance accept the first one's tokens", async () => {
    const { token, userId } = await app.signup();
    await expect(other.deps.auth.authenticate(token)).resolves.toMatchObject({ id: userId });
  });

  it("agrees between instances starting at the same moment, and is nothing from the code", async () => {
    const database = await createTestPostgres();
    const second = await openDatabase({ url: database.url, poolSize: 2 });
    try {
      const [a, b] = await Promise.all([
        loadOrCreateSecrets(database.handle, "unused"),
        loadOrCreateSecrets(second, "unused"),
      ]);
      expect(a).toEqual(b);
      expect(a.jwt).not.toBe(OLD_CONSTANT);
      expect(a.jwt.length).toBeGreaterThanOrEqual(43);
      expect(a.sandboxWebhook).not.toBe(a.jwt);
    } finally {
      await second.close();
      await database.drop();
    }
  });
});
