import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Payment } from "../../shared/schemas/payments.js";
import type { JobQueue } from "../core/queue/port.js";
import type { DatabaseHandle } from "../db/client.js";
import { SandboxProvider } from "../services/payments/providers/sandbox.js";
import type { TestApp } from "../testing/app.js";
import { createPaymentsTestApp, newKey } from "../testing/payments.js";
import { hmacSha256 } from "../utils/crypto.js";
import { loadOrCreateSecrets } from "./secrets.js";

/**
 * With nothing configured, no secret comes from the source code: the constant that used to
 * sign every development deployment's tokens (and, through it, the sandbox's webhooks) opens
 * nothing, and the generated secrets stay private to the data directory.
 */

const OLD_CONSTANT = "gantry-embedded-development-secret-change-me";
const OLD_WEBHOOK_SECRET = hmacSha256(OLD_CONSTANT, "gantry sandbox webhooks");

describe("an embedded app with no secrets configured", () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    // The sandbox never settles by itself here: every webhook is the test's.
    app = await createPaymentsTestApp({ SANDBOX_SETTLE_DELAY_MS: "3600000" });
    ({ token } = await app.signup());
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses a token signed with the old built-in secret", async () => {
    expect(await codeOf(app.caller({ token }).auth.sessions())).toBe("OK");
    const forged = await new SignJWT(decodeJwt(token))
      .setProtectedHeader(decodeProtectedHeader(token) as { alg: string })
      .sign(new TextEncoder().encode(OLD_CONSTANT));
    expect(await codeOf(app.caller({ token: forged }).auth.sessions())).toBe("UNAUTHORIZED");
  });

  it("refuses a webhook signed with the secret derived from it: a declined card stays declined", async () => {
    const payment: Payment = await app.caller({ token }).payments.create({
      amount: 1500,
      currency: "USD",
      paymentMethod: "pm_card_chargeDeclined",
      idempotencyKey: newKey(),
    });
    const forger = new SandboxProvider({
      queue: {} as JobQueue,
      webhookSecret: OLD_WEBHOOK_SECRET,
      settleDelayMs: 0,
      delayedSettleMs: 0,
    });
    const request = forger.signedWebhook(
      {
        id: `evt_${newKey()}`,
        type: "payment.succeeded",
        created: Math.floor(Date.now() / 1000),
        data: {
          paymentId: payment.id,
          providerPaymentId: payment.providerPaymentId ?? undefined,
          amount: payment.amount,
          currency: payment.currency,
        },
      },
      new Date(),
    );
    const response = await app.gantry.http?.inject({
      method: "POST",
      url: "/webhooks/payments/sandbox",
      payload: request.rawBody,
      headers: request.headers as Record<string, string>,
    });
    expect(response?.statusCode).toBe(400);
    expect((await app.caller({ token }).payments.byId({ id: payment.id })).status).not.toBe("succeeded");
  });

  it("keeps its generated secrets in DATA_DIR/secrets.json, readable by its owner only", async () => {
    const path = join(app.gantry.deps.config.dataDir, "secrets.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(path, "utf8")) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(["jwt", "sandboxWebhook", "twoFactor"]);
    for (const value of Object.values(stored)) {
      expect(value.length).toBeGreaterThanOrEqual(43);
      expect([OLD_CONSTANT, OLD_WEBHOOK_SECRET]).not.toContain(value);
    }
    expect(stored.jwt).not.toBe(stored.sandboxWebhook);
    expect(stored.twoFactor).not.toBe(stored.jwt);
  });
});

describe("the secrets file", () => {
  const pglite = { kind: "pglite" } as DatabaseHandle;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gantry-secrets-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is created once: processes starting together, and every restart, read the same secrets", async () => {
    const dataDir = join(dir, "together");
    const starts = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateSecrets(pglite, dataDir)));
    for (const secrets of starts) expect(secrets).toEqual(starts[0]);
    expect(await loadOrCreateSecrets(pglite, dataDir)).toEqual(starts[0]);
  });

  it("gains a two-factor key, keeping the older secrets, when written before two-factor existed", async () => {
    const dataDir = join(dir, "older");
    await mkdir(dataDir, { recursive: true });
    const older = { jwt: "j".repeat(43), sandboxWebhook: "w".repeat(43) };
    await writeFile(join(dataDir, "secrets.json"), JSON.stringify(older), { mode: 0o600 });
    const upgraded = await loadOrCreateSecrets(pglite, dataDir);
    expect(upgraded).toMatchObject(older);
    expect(upgraded.twoFactor.length).toBeGreaterThanOrEqual(43);
    expect(await loadOrCreateSecrets(pglite, dataDir)).toEqual(upgraded);
  });

  it("differs from one data directory to the next", async () => {
    const a = await loadOrCreateSecrets(pglite, join(dir, "a"));
    const b = await loadOrCreateSecrets(pglite, join(dir, "b"));
    expect(a.jwt).not.toBe(b.jwt);
    expect(a.sandboxWebhook).not.toBe(b.sandboxWebhook);
  });
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
