import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Channel, type ChannelModel, connect } from "amqplib";
import { Redis } from "ioredis";
import { decodeJwt } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventEnvelope, type EventType, parseEnvelope } from "../../shared/events.js";
import { createGantry, type Gantry } from "../app.js";
import { loadConfig } from "../config.js";
import { rabbitNames } from "../core/events/rabbitmq-transport.js";
import { createTestApp, type TestApp } from "../testing/app.js";
import { drainJobs } from "../testing/jobs.js";
import { testServiceUrls, uniqueName } from "../testing/services.js";
import { expectSignedIn } from "../testing/sign-in.js";
import { createContext } from "../trpc/context.js";
import { createCallerFactory } from "../trpc/init.js";
import { appRouter } from "../trpc/router.js";

/**
 * Accounts on the real services: events reach RabbitMQ and the audit log, sessions live in
 * Redis but PostgreSQL holds the truth, and two instances sharing them agree at once.
 */

const ADMIN = { email: "admin@accounts-int.test", password: "admin passphrase for accounts" };
const PASSWORD = "a perfectly fine passphrase";
const SECRET = "accounts-int-secret-0123456789-abcdefghijklmn";
const silent = pino({ level: "silent" });
const createCaller = createCallerFactory(appRouter);

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const payloadUserId = (payload: unknown) => (payload as { userId?: string } | null)?.userId;

describe("accounts on PostgreSQL, Redis and RabbitMQ", () => {
  let app: TestApp;
  let other: Gantry;
  let otherDataDir: string;
  let rabbit: ChannelModel;
  let channel: Channel;
  let redis: Redis;
  let namespace: string;
  const onTheWire: EventEnvelope[] = [];

  const adminToken = async () => expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
  /** A caller on the second instance: same database, Redis and namespace, another process's memory. */
  const otherCaller = (token: string | null = null) =>
    createCaller(
      createContext(other.deps, { requestId: uniqueName("req"), ip: "127.0.0.2", transport: "internal", token }),
    );

  async function sessionKeys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}:session:*`, "COUNT", 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== "0");
    return found;
  }

  beforeAll(async () => {
    app = await createTestApp("services", {
      JWT_SECRET: SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const config = app.gantry.deps.config;
    namespace = config.namespace;

    // A queue of the test's own on the app's exchange: what RabbitMQ actually carries.
    rabbit = await connect(testServiceUrls.amqp);
    channel = await rabbit.createChannel();
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, rabbitNames(namespace).exchange, "user.#");
    await channel.consume(
      queue,
      (message) => {
        if (message) onTheWire.push(parseEnvelope(JSON.parse(message.content.toString("utf8"))));
      },
      { noAck: true },
    );

    redis = new Redis(testServiceUrls.redis, { maxRetriesPerRequest: 1 });

    otherDataDir = await mkdtemp(join(tmpdir(), "gantry-other-"));
    other = await createGantry(
      loadConfig({
        NODE_ENV: "test",
        DATA_DIR: otherDataDir,
        NAMESPACE: namespace,
        LOG_LEVEL: "silent",
        RATE_LIMIT_PER_MINUTE: "100000",
        DATABASE_URL: config.databaseUrl,
        REDIS_URL: config.redisUrl,
        AMQP_URL: config.amqpUrl,
        JWT_SECRET: SECRET,
      }),
      { http: false, workers: false, logger: silent },
    );
    await other.listen();
  });
  afterAll(async () => {
    await other?.stop();
    await channel?.close().catch(() => {});
    await rabbit?.close().catch(() => {});
    redis?.disconnect();
    await app?.close();
    if (otherDataDir) await rm(otherDataDir, { recursive: true, force: true });
  });

  it("sends every account event through RabbitMQ into the audit log", async () => {
    const { email, token, userId } = await app.signup();
    await codeOf(app.caller({ ip: "10.9.0.1" }).auth.login({ email, password: "not the password" }));
    const second = expectSignedIn(await app.caller().auth.login({ email, password: PASSWORD })).accessToken;
    await app.caller({ token: second }).auth.logout();
    await app.caller({ token }).auth.changePassword({ currentPassword: PASSWORD, newPassword: "a new passphrase!" });
    const admin = app.caller({ token: await adminToken() });
    await admin.users.setRole({ userId, role: "guest" });
    await admin.users.setDisabled({ userId, disabled: true });

    const expected: EventType[] = [
      "user.registered",
      "user.logged_in",
      "user.login_failed",
      "user.logged_out",
      "user.password_changed",
      "user.role_changed",
      "user.disabled",
    ];
    const typesOnTheWire = () =>
      new Set(onTheWire.filter((e) => payloadUserId(e.payload) === userId).map((e) => e.type));
    await waitFor(() => expected.every((type) => typesOnTheWire().has(type)), "the events on RabbitMQ");

    const audited = async () => {
      const page = await admin.audit.list({ pageSize: 100, sort: { field: "occurredAt", direction: "asc" } });
      return page.items.filter((entry) => payloadUserId(entry.payload) === userId);
    };
    await waitFor(async () => {
      const types = new Set((await audited()).map((entry) => entry.type));
      return expected.every((type) => types.has(type));
    }, "the audit log entries");

    const entries = await audited();
    expect(entries.find((e) => e.type === "user.login_failed")).toMatchObject({
      actorKind: "anonymous",
      payload: { email, reason: "bad_credentials" },
    });
    const adminId = (await admin.auth.me())?.id;
    expect(entries.find((e) => e.type === "user.role_changed")).toMatchObject({
      actorKind: "user",
      actorId: adminId,
      payload: { from: "user", to: "guest" },
    });
    expect(entries.find((e) => e.type === "user.disabled")).toMatchObject({ payload: { disabled: true } });
    // Each audit entry is the very event RabbitMQ carried (same id), stored once.
    const wireIds = new Set(onTheWire.map((e) => e.id));
    for (const entry of entries) expect(wireIds.has(entry.id)).toBe(true);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it("keeps sessions valid, and revoked ones refused, after Redis loses the session keys", async () => {
    const { email, token: kept } = await app.signup();
    const ended = expectSignedIn(await app.caller().auth.login({ email, password: PASSWORD })).accessToken;
    await app.caller({ token: ended }).auth.logout();
    const keptSession = String(decodeJwt(kept).sid);

    expect(await codeOf(app.caller({ token: kept }).auth.sessions())).toBe("OK");
    expect(await sessionKeys()).toContain(`${namespace}:session:${keptSession}`);

    const keys = await sessionKeys();
    await redis.del(...keys);
    expect(await sessionKeys()).toHaveLength(0);

    expect(await codeOf(app.caller({ token: kept }).auth.sessions())).toBe("OK");
    expect(await codeOf(app.caller({ token: ended }).auth.sessions())).toBe("UNAUTHORIZED");
    expect(await codeOf(otherCaller(kept).auth.sessions())).toBe("OK");
    expect(await codeOf(otherCaller(ended).auth.sessions())).toBe("UNAUTHORIZED");
    // The live copy is rebuilt from PostgreSQL for the valid session only.
    expect(await sessionKeys()).toContain(`${namespace}:session:${keptSession}`);
    expect(await sessionKeys()).not.toContain(`${namespace}:session:${String(decodeJwt(ended).sid)}`);
  });

  it("applies a role change on the very next request, on every instance", async () => {
    const { token, userId } = await app.signup();
    const admin = app.caller({ token: await adminToken() });
    // Deleting a pipeline that does not exist: a user may try (not found), a guest may not (forbidden).
    const tryDelete = (caller: ReturnType<typeof otherCaller>) =>
      codeOf(caller.pipelines.delete({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(await tryDelete(app.caller({ token }))).toBe("NOT_FOUND");
    expect(await tryDelete(otherCaller(token))).toBe("NOT_FOUND");

    await admin.users.setRole({ userId, role: "guest" });
    expect(await tryDelete(app.caller({ token }))).toBe("FORBIDDEN");
    expect(await tryDelete(otherCaller(token))).toBe("FORBIDDEN");

    await admin.users.setRole({ userId, role: "user" });
    expect(await tryDelete(otherCaller(token))).toBe("NOT_FOUND");
  });

  it("refuses on instance B a session that logged out on instance A, at once", async () => {
    const { email } = await app.signup();
    const token = expectSignedIn(await app.caller().auth.login({ email, password: PASSWORD })).accessToken;
    expect(await codeOf(otherCaller(token).auth.sessions())).toBe("OK");
    await app.caller({ token }).auth.logout();
    expect(await codeOf(otherCaller(token).auth.sessions())).toBe("UNAUTHORIZED");
  });

  it("counts failed sign-ins for one account across instances", async () => {
    const { email } = await app.signup();
    const fail = (caller: ReturnType<typeof otherCaller>) =>
      codeOf(caller.auth.login({ email, password: "not the password" }));
    // One address on both instances: its 5 guesses at this account are counted together.
    const sameAddress = (instance: "app" | "other") =>
      instance === "app" ? app.caller({ ip: "127.0.0.2" }) : otherCaller();
    const failures: string[] = [];
    for (const instance of ["app", "other", "app", "other", "app"] as const) {
      failures.push(await fail(sameAddress(instance)));
    }
    expect(failures).toEqual(Array(5).fill("UNAUTHORIZED"));
    expect(await codeOf(otherCaller().auth.login({ email, password: PASSWORD }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(sameAddress("app").auth.login({ email, password: PASSWORD }))).toBe("TOO_MANY_REQUESTS");
    // The account's own ceiling (10 per 6 minutes) is shared too: 5 more addresses use it up.
    for (let i = 1; i <= 5; i += 1) {
      expect(await fail(app.caller({ ip: `10.9.1.${i}` }))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(app.caller({ ip: "10.9.1.99" }).auth.login({ email, password: PASSWORD }))).toBe(
      "TOO_MANY_REQUESTS",
    );
  });

  it("lets one of three simultaneous sign-ups with the same email win, and tells the others CONFLICT", async () => {
    const email = `race-${uniqueName("u")}@accounts-int.test`;
    const attempt = () => codeOf(app.caller().auth.signup({ email, password: PASSWORD, name: "Racer" }));
    const codes = await Promise.all([attempt(), attempt(), attempt()]);
    expect(codes.sort()).toEqual(["CONFLICT", "CONFLICT", "OK"]);
  });

  it("honours a reset link once even when it is used twice at the same moment", async () => {
    const { email } = await app.signup();
    await app.caller().auth.requestPasswordReset({ email });
    await drainJobs(app.gantry.deps.queue);
    const dir = join(app.gantry.deps.config.dataDir, "mail");
    // The reset mail, not the new account's verification mail (services/account).
    const mails = await Promise.all(
      (await readdir(dir))
        .filter((name) => name.endsWith(`-${email}.eml`))
        .map((name) => readFile(join(dir, name), "utf8")),
    );
    const reset = mails.find((mail) => mail.includes("Subject: Reset your Gantry password")) ?? "";
    const token = reset.match(/#token=([\w-]+)/)?.[1] ?? "";
    const codes = await Promise.all(
      ["first racing passphrase", "second racing passphrase"].map((newPassword) =>
        codeOf(app.caller().auth.resetPassword({ token, newPassword })),
      ),
    );
    expect(codes.sort()).toEqual(["BAD_REQUEST", "OK"]);
    const signIns = await Promise.all(
      ["first racing passphrase", "second racing passphrase"].map((password) =>
        codeOf(app.caller({ ip: "10.9.2.1" }).auth.login({ email, password })),
      ),
    );
    expect(signIns.sort()).toEqual(["OK", "UNAUTHORIZED"]);
  });

  it("refuses on instance A an account disabled through instance B, at once", async () => {
    const { token, userId } = await app.signup();
    expect(await codeOf(app.caller({ token }).auth.sessions())).toBe("OK");
    const admin = otherCaller(expectSignedIn(await otherCaller().auth.login(ADMIN)).accessToken);
    await admin.users.setDisabled({ userId, disabled: true });
    expect(await codeOf(app.caller({ token }).auth.sessions())).toBe("UNAUTHORIZED");
  });

  it("creates the bootstrap admin once when several processes start at the same moment", async () => {
    const email = `boot-${uniqueName("a")}@accounts-int.test`;
    const starts = Array.from({ length: 4 }, () => app.gantry.deps.auth.ensureAdmin(email, "operator passphrase"));
    await expect(Promise.all(starts)).resolves.toHaveLength(4);
    const signedIn = expectSignedIn(
      await app.caller({ ip: "10.9.3.1" }).auth.login({ email, password: "operator passphrase" }),
    );
    expect(signedIn.user.role).toBe("admin");
  });
});
