import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { LiveSessionStore } from "./live-sessions.js";
import { LiveTrust } from "./live-trust.js";

/** A store whose purges the test answers one by one, and whose connection the test drops. */
function fakeStore() {
  const purges: Array<{ resolve(): void; reject(error: Error): void }> = [];
  let listener: { lost(): void; closed(): void } | undefined;
  const store = {
    purge: () => new Promise<void>((resolve, reject) => purges.push({ resolve, reject })),
    watch: (l: { lost(): void; closed(): void }) => {
      listener = l;
    },
  } as unknown as LiveSessionStore;
  return {
    store,
    purges,
    drop: () => listener?.lost(),
    close: () => listener?.closed(),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

describe("trust in the live session store", () => {
  it("starts untrusted and is trusted once the store has been purged", async () => {
    const fake = fakeStore();
    const trust = new LiveTrust(fake.store, pino({ level: "silent" }), 1);
    expect(trust.ok).toBe(false);
    await tick();
    fake.purges[0]?.resolve();
    await tick();
    expect(trust.ok).toBe(true);
    trust.stop();
  });

  it("keeps retrying a purge that fails (Redis still away), and is not trusted meanwhile", async () => {
    const fake = fakeStore();
    const trust = new LiveTrust(fake.store, pino({ level: "silent" }), 1);
    await tick();
    fake.purges[0]?.reject(new Error("Connection is closed."));
    await tick();
    expect(trust.ok).toBe(false);
    expect(fake.purges.length).toBe(2);
    fake.purges[1]?.resolve();
    await tick();
    expect(trust.ok).toBe(true);
    trust.stop();
  });

  it("does not count a purge that began before the latest drop", async () => {
    const fake = fakeStore();
    const trust = new LiveTrust(fake.store, pino({ level: "silent" }), 1);
    await tick();
    fake.drop(); // while the first purge is still running
    fake.purges[0]?.resolve();
    await tick();
    expect(trust.ok).toBe(false);
    fake.purges[1]?.resolve();
    await tick();
    expect(trust.ok).toBe(true);
    // A later drop: untrusted again until the next purge.
    fake.drop();
    expect(trust.ok).toBe(false);
    await tick();
    fake.purges[2]?.resolve();
    await tick();
    expect(trust.ok).toBe(true);
    fake.close();
  });
});
