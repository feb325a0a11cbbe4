import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_VARIABLES, loadConfig } from "./config.js";

/**
 * compose.yaml against what Gantry needs. No Docker engine runs here, so this reads the file
 * the way `docker compose` would (YAML merge keys, `${VAR:?…}` / `${VAR:-default}`) and checks
 * that the API and the worker would start: their environment passes loadConfig in production,
 * names only variables config.ts reads, and points at services that exist, with the
 * credentials those services are given. What only a running engine can show (images pull,
 * healthchecks pass) is not tested; the README says so.
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

const compose = parse(readFileSync(new URL("../../compose.yaml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** Example values an operator would supply for the `${VAR:?…}` the file requires. */
const supplied: Record<string, string> = {
  POSTGRES_PASSWORD: "pg-secret",
  RABBITMQ_PASSWORD: "mq-secret",
  JWT_SECRET: "a".repeat(48),
  SMTP_URL: "smtp://mail.example:587",
};

/** Resolves `${VAR}`, `${VAR:-default}` and `${VAR:?message}` as compose does. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const given = supplied[name];
    if (given !== undefined) return given;
    if (kind === "-") return rest ?? "";
    throw new Error(`compose.yaml needs ${name}, which this test does not supply`);
  });
}

function environmentOf(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services[name]?.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]),
  );
}

describe("compose.yaml", () => {
  it("runs PostgreSQL, Redis, RabbitMQ, one API and one worker", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "postgres", "rabbitmq", "redis", "worker"]);
  });

  it.each(["api", "worker"])("gives the %s a production configuration that loads", (name) => {
    const environment = environmentOf(name);
    const unknown = Object.keys(environment).filter((key) => !CONFIG_VARIABLES.includes(key));
    expect(unknown).toEqual([]);
    const config = loadConfig(environment);
    expect(config.env).toBe("production");
    expect(config.mode).toBe("services");
  });

  it("points the app at the services by their compose names, with their credentials", () => {
    const environment = environmentOf("api");
    const database = new URL(environment.DATABASE_URL ?? "");
    const postgres = environmentOf("postgres");
    expect(database.hostname).toBe("postgres");
    expect(database.username).toBe(postgres.POSTGRES_USER);
    expect(database.password).toBe(postgres.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);

    expect(new URL(environment.REDIS_URL ?? "").hostname).toBe("redis");

    const amqp = new URL(environment.AMQP_URL ?? "");
    const rabbitmq = environmentOf("rabbitmq");
    expect(amqp.hostname).toBe("rabbitmq");
    expect(amqp.username).toBe(rabbitmq.RABBITMQ_DEFAULT_USER);
    expect(amqp.password).toBe(rabbitmq.RABBITMQ_DEFAULT_PASS);
    expect(environmentOf("worker")).toMatchObject({
      DATABASE_URL: environment.DATABASE_URL,
      REDIS_URL: environment.REDIS_URL,
      AMQP_URL: environment.AMQP_URL,
      JWT_SECRET: environment.JWT_SECRET,
    });
  });

  it("runs jobs in the worker only, both from the built image", () => {
    expect(loadConfig(environmentOf("api")).runWorkers).toBe(false);
    expect(services.worker?.command).toEqual(["node", "dist/server/worker.js"]);
    expect(services.api?.image).toBe(services.worker?.image);
  });

  it("lets the worker read the uploads the API writes (one volume at DATA_DIR)", () => {
    const dataDir = (name: string) => loadConfig(environmentOf(name)).dataDir;
    const mountAt = (name: string, path: string) => services[name]?.volumes?.find((v) => v.endsWith(`:${path}`));
    const apiMount = mountAt("api", dataDir("api"));
    expect(apiMount).toBeDefined();
    expect(mountAt("worker", dataDir("worker"))).toBe(apiMount);
    expect(Object.keys(compose.volumes)).toContain(apiMount?.split(":")[0]);
  });

  it("publishes the API's port and checks its /healthz", () => {
    const port = loadConfig(environmentOf("api")).port;
    expect(services.api?.ports?.map((mapping) => interpolate(mapping).split(":").at(-1))).toEqual([String(port)]);
    expect(services.api?.healthcheck?.test?.join(" ")).toContain(`:${port}/healthz`);
    for (const name of ["postgres", "redis", "rabbitmq"]) {
      expect(services[name]?.ports, `${name} stays on the compose network`).toBeUndefined();
    }
  });

  it("starts the app only once its services are healthy, and the worker after the API migrated", () => {
    const healthy = { condition: "service_healthy" };
    for (const name of ["api", "worker"]) {
      expect(services[name]?.depends_on).toMatchObject({ postgres: healthy, redis: healthy, rabbitmq: healthy });
    }
    expect(services.worker?.depends_on?.api).toEqual(healthy);
    for (const name of ["postgres", "redis", "rabbitmq", "api"]) {
      expect(services[name]?.healthcheck?.test?.[0], `${name} has a healthcheck`).toBe("CMD");
    }
  });
});
