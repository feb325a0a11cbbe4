import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../testing/app.js";

/**
 * The API budget on Redis, where a signed-in call spends it and reads its session's live copy
 * in one round trip (services/auth/call-admission.ts): still per account when signed in, per
 * address otherwise, and a token whose session has ended is charged to the address.
 */
describe("API rate limit and session check (services)", () => {
  let app: TestApp;

  async function codeOf(call: Promise<unknown>): Promise<string> {
    try {
      await call;
      return "OK";
    } catch (error) {
      if (error instanceof TRPCError) return error.code;
      throw error;
    }
  }

  /** The commands the app's own Redis connection sends while `work` runs (its watchdog's pings aside). */
  async function appCommands(work: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const original = Redis.prototype.sendCommand;
    const spy = vi.spyOn(Redis.prototype, "sendCommand").mockImplementation(function (this: Redis, command, stream) {
      if (this.options.connectionName === "gantry-app" && command.name !== "ping") sent.push(command.name);
      return original.call(this, command, stream);
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return sent;
  }

  beforeAll(async () => {
    app = await createTestApp("services", { RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("checks a signed-in caller's session and spends their budget in one Redis command", async () => {
    const { token, userId } = await app.signup();
    const caller = app.caller({ token, ip: "192.0.2.10" });
    // The first call may fill the live copy from PostgreSQL; from then on one command does both.
    expect((await caller.auth.me())?.id).toBe(userId);
    const sent = await appCommands(() => caller.auth.me());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^evalsha$|^eval$/);
    expect(await appCommands(() => app.caller({ ip: "192.0.2.11" }).system.health())).toHaveLength(1);
  });

  it("counts a signed-in caller by account across addresses", async () => {
    const { token } = await app.signup();
    const codes: string[] = [];
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"]) {
      codes.push(await codeOf(app.caller({ token, ip }).auth.sessions()));
    }
    expect(codes).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
    expect(await codeOf(app.caller({ ip: "203.0.113.6" }).system.health())).toBe("OK");
  });

  it("charges a token whose session ended to the address, and gives the account its point back", async () => {
    const { token, email, password } = await app.signup();
    const second = await app.caller({ ip: "198.51.100.20" }).auth.login({ email, password });
    // Ends the first session; the account keeps a live one (`second`).
    await app.caller({ token, ip: "198.51.100.21" }).auth.logout();

    const ended = app.caller({ token, ip: "198.51.100.22" });
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) codes.push(await codeOf(ended.auth.sessions()));
    // Refused as signed out while the address has budget, then refused for the address's rate.
    expect(codes).toEqual([
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "TOO_MANY_REQUESTS",
    ]);
    // None of those six calls spent the account's budget: login and logout did not either
    // (logout spent one from the first session's account budget: 4 left).
    const live = app.caller({ token: second.accessToken, ip: "198.51.100.23" });
    const accountCodes: string[] = [];
    for (let i = 0; i < 5; i += 1) accountCodes.push(await codeOf(live.auth.sessions()));
    expect(accountCodes).toEqual(["OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
  });
});
