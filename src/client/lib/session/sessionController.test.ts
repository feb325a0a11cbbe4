import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import type { AuthResult, PublicUser } from "../../../shared/schemas/auth";
import { createAppStore } from "../store";
import type { SessionApi, WatchObserver } from "./sessionApi";
import { SESSION_ENDED_NOTICE, SessionController } from "./sessionController";
import { selectRole, selectSessionNotice, selectSessionStatus, selectUser } from "./sessionSlice";

const ada: PublicUser = {
  id: "7d7c3c1e-4b7e-4a53-9d64-0a2f1d3b9e01",
  email: "ada@gantry.test",
  name: "Ada",
  role: "user",
  disabled: false,
  emailVerified: true,
  deleted: false,
  createdAt: new Date("2025-03-01T10:00:00Z"),
};
const grace: PublicUser = {
  ...ada,
  id: "5f0e8a47-2c55-4c0e-8d0b-6b1f0e2a7c11",
  email: "grace@gantry.test",
  name: "Grace",
};

const authResult = (user: PublicUser): AuthResult => ({ user, accessToken: "t", expiresAt: new Date() });

function unauthorized(message = "Please sign in."): TRPCClientError<AppRouter> {
  const data = { code: "UNAUTHORIZED" as const, httpStatus: 401 };
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: -32001, message, data } } });
}

/** A deferred promise, to hold a call open while something else happens. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The server as the controller sees it: who the cookie names, and the open watch. */
class FakeServer implements SessionApi {
  cookieUser: PublicUser | null = null;
  watchers: WatchObserver[] = [];
  unsubscribed = 0;
  reconnects = 0;
  pendingChange: { promise: Promise<void>; resolve(): void } | null = null;
  /** Ada has two-factor on: the password step answers a challenge. */
  secondFactor = false;

  me = async () => this.cookieUser;
  login = async () => {
    if (this.secondFactor) {
      return { secondFactorRequired: true as const, challenge: "c".repeat(43), challengeExpiresAt: new Date() };
    }
    if (!this.cookieUser) this.cookieUser = ada;
    return authResult(this.cookieUser);
  };
  completeLogin = async ({ code }: { challenge: string; code: string }) => {
    if (code !== "123456") throw unauthorized("That code is not right.");
    this.cookieUser = ada;
    return authResult(ada);
  };
  signup = async () => {
    this.cookieUser = grace;
    return authResult(grace);
  };
  logout = async () => {
    if (!this.cookieUser) throw unauthorized();
    this.cookieUser = null;
  };
  logoutAll = this.logout;
  changePassword = async () => {
    await this.pendingChange?.promise;
    if (!this.cookieUser) throw unauthorized();
    return authResult(this.cookieUser);
  };
  watch = (observer: WatchObserver) => {
    this.watchers.push(observer);
    return { unsubscribe: () => void this.unsubscribed++ };
  };
  reconnect = async () => {
    this.reconnects++;
  };

  get latestWatch(): WatchObserver {
    const watcher = this.watchers.at(-1);
    if (!watcher) throw new Error("no watch open");
    return watcher;
  }
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const server = new FakeServer();
  const store = createAppStore({ prefersDark: false });
  let cacheResets = 0;
  const controller = new SessionController({
    store,
    api: server,
    resetCache: () => void cacheResets++,
    sleep: () => Promise.resolve(),
  });
  return { server, store, controller, cacheResets: () => cacheResets };
}

describe("SessionController", () => {
  it("starts signed in when the cookie names a user, and watches the account", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    expect(server.watchers).toHaveLength(1);
  });

  it("keeps asking while the server cannot be reached, then starts", async () => {
    const { server, store, controller } = setup();
    let failures = 2;
    server.me = async () => {
      if (failures-- > 0) throw new TypeError("Failed to fetch");
      return null;
    };
    await controller.start();
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
  });

  it("moves the socket onto the new cookie before pages see the sign-in", async () => {
    const { server, store, controller } = setup();
    await controller.start();
    let reconnectedFirst = false;
    server.reconnect = async () => {
      reconnectedFirst = selectSessionStatus(store.getState()) === "signedOut";
    };
    await controller.login({ email: "ada@gantry.test", password: "pw" });
    expect(reconnectedFirst).toBe(true);
    expect(selectUser(store.getState())?.email).toBe("ada@gantry.test");
    expect(server.watchers).toHaveLength(1);
  });

  it("stays signed out after the password when a second factor is asked for, and signs in with the code", async () => {
    const { server, store, controller } = setup();
    server.secondFactor = true;
    await controller.start();
    const answer = await controller.login({ email: "ada@gantry.test", password: "pw" });
    expect(answer).toMatchObject({ secondFactorRequired: true });
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    expect(server.watchers).toHaveLength(0);

    await expect(controller.completeLogin({ challenge: "c".repeat(43), code: "000000" })).rejects.toThrow();
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    await controller.completeLogin({ challenge: "c".repeat(43), code: "123456" });
    expect(selectUser(store.getState())?.email).toBe("ada@gantry.test");
    expect(server.watchers).toHaveLength(1);
  });

  it("shows a role change from the watch at once", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.latestWatch.onData({ ...ada, role: "guest" });
    expect(selectRole(store.getState())).toBe("guest");
  });

  it("signs out with a notice when the watch says the session ended and the server agrees", async () => {
    const { server, store, controller, cacheResets } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.cookieUser = null; // disabled by an administrator
    server.latestWatch.onData(null);
    server.latestWatch.onComplete();
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    expect(selectSessionNotice(store.getState())).toBe(SESSION_ENDED_NOTICE);
    expect(cacheResets()).toBe(1);
  });

  it("stays signed in when a null came from a stale connection, and watches again", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.latestWatch.onData(null);
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    expect(server.reconnects).toBe(1);
    expect(server.watchers).toHaveLength(2);
  });

  it("does not sign out on the old session's end while a password change swaps the cookie", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    const oldWatch = server.latestWatch;
    const change = deferred<void>();
    server.pendingChange = change;
    // The server's answer is still on its way when the old session's watch says null.
    let cookieSwapped = false;
    server.me = async () => (cookieSwapped ? ada : null);
    const changing = controller.changePassword({ currentPassword: "old", newPassword: "new-password" });
    oldWatch.onData(null);
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    cookieSwapped = true;
    change.resolve();
    await changing;
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    expect(selectSessionNotice(store.getState())).toBeNull();
  });

  it("ignores messages from a watch it has replaced", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    const first = server.latestWatch;
    await controller.changePassword({ currentPassword: "old", newPassword: "new-password" });
    server.cookieUser = null;
    first.onData(null);
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
  });

  it("checks an UNAUTHORIZED answer against the server before signing out", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    controller.handleUnauthorized();
    await settle();
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    server.cookieUser = null;
    controller.handleUnauthorized();
    await settle();
    expect(selectSessionNotice(store.getState())).toBe(SESSION_ENDED_NOTICE);
  });

  it("signs out without a notice, stops watching and forgets cached data", async () => {
    const { server, store, controller, cacheResets } = setup();
    server.cookieUser = ada;
    await controller.start();
    await controller.logout();
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    expect(selectSessionNotice(store.getState())).toBeNull();
    expect(server.unsubscribed).toBeGreaterThan(0);
    expect(cacheResets()).toBe(1);
  });

  it("signs out here even when the server had already ended the session", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.cookieUser = null;
    await controller.logout();
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
  });

  it("stays signed in when signing out fails for another reason", async () => {
    const { server, store, controller } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.logout = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(controller.logout()).rejects.toThrow("Failed to fetch");
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
  });

  it("follows the cookie to another account signed in from another tab", async () => {
    const { server, store, controller, cacheResets } = setup();
    server.cookieUser = ada;
    await controller.start();
    server.cookieUser = grace;
    server.latestWatch.onData(null);
    await settle();
    expect(selectUser(store.getState())?.email).toBe("grace@gantry.test");
    expect(cacheResets()).toBe(1);
  });
});

describe("SessionController when the watch keeps failing", () => {
  it("waits longer each time before watching again, instead of hammering the server", async () => {
    const server = new FakeServer();
    server.cookieUser = ada;
    const store = createAppStore({ prefersDark: false });
    const waits: number[] = [];
    const controller = new SessionController({
      store,
      api: server,
      resetCache: () => {},
      sleep: async (ms) => void waits.push(ms),
    });
    await controller.start();
    for (let round = 0; round < 5; round++) {
      server.latestWatch.onData(null);
      await settle();
    }
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    expect(waits).toHaveLength(5);
    expect(waits[0]).toBe(0);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? 0);

    // A watch that works again starts the count afresh.
    server.latestWatch.onData({ ...ada, name: "Ada L." });
    server.latestWatch.onData(null);
    await settle();
    expect(waits.at(-1)).toBe(0);
  });
});
