import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("runs embedded with no configuration at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: "embedded", port: 3000, dataDir: ".data", runWorkers: true });
    expect(config.databaseUrl).toBeUndefined();
  });

  it("has no secret of its own: an unset JWT_SECRET stays unset, to be generated at start-up", () => {
    expect(loadConfig({}).jwtSecret).toBeUndefined();
    expect(loadConfig({ NODE_ENV: "test" }).jwtSecret).toBeUndefined();
    expect(loadConfig({ JWT_SECRET: "y".repeat(32) }).jwtSecret).toBe("y".repeat(32));
  });

  it("runs on real services when all three URLs are given", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://db/gantry",
      REDIS_URL: "redis://cache:6379",
      AMQP_URL: "amqp://broker",
      PORT: "8080",
      RUN_WORKERS: "false",
    });
    expect(config).toMatchObject({ mode: "services", port: 8080, runWorkers: false });
  });

  it("names the variable when a value is wrong", () => {
    expect(() => loadConfig({ REDIS_URL: "http://nope" })).toThrow(/^REDIS_URL: must be a URL starting with redis:/);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/^PORT:/);
  });

  it("refuses a call deadline that would cut previews short of their own limit", () => {
    expect(() => loadConfig({ PROCEDURE_TIMEOUT_MS: "5000", PIPELINE_PREVIEW_TIMEOUT_MS: "8000" })).toThrow(
      /^PROCEDURE_TIMEOUT_MS: must be longer than PIPELINE_PREVIEW_TIMEOUT_MS/,
    );
    expect(loadConfig({ PROCEDURE_TIMEOUT_MS: "9000", PIPELINE_PREVIEW_TIMEOUT_MS: "8000" }).procedureTimeoutMs).toBe(
      9000,
    );
  });

  it("reads TRUST_PROXY as a flag, a hop count or a list of proxies", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" })).toMatchObject({ mode: "embedded", port: 3000 });
  });

  it("refuses embedded defaults in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      "DATABASE_URL, REDIS_URL, AMQP_URL, JWT_SECRET, SMTP_URL: required when NODE_ENV=production",
    );
    const config = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db/gantry",
      REDIS_URL: "redis://cache",
      AMQP_URL: "amqp://broker",
      JWT_SECRET: "x".repeat(40),
      SMTP_URL: "smtp://mail:25",
    });
    expect(config.jwtSecret).toBe("x".repeat(40));
  });
});
