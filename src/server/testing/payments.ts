import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { count, eq, isNull } from "drizzle-orm";
import { jobOutbox, ledgerEntries, outbox, paymentRefunds, payments, webhookEvents } from "../db/schema/index.js";
import type { PaymentsService } from "../services/payments/payments-service.js";
import { SandboxProvider } from "../services/payments/providers/sandbox.js";
import { createTestApp, type TestApp } from "./app.js";
import { expectSignedIn } from "./sign-in.js";

/** Test-only helpers for payments (imported by *.test.ts files only). */

export const ADMIN = { email: "admin@payments.test", password: "admin passphrase for payments" };

/**
 * An embedded app for payment tests: its own port (0), a fast sandbox, and an admin. Pass
 * `SANDBOX_SETTLE_DELAY_MS` high to keep the sandbox from settling, when a test plays provider.
 */
export function createPaymentsTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp("embedded", {
    SANDBOX_SETTLE_DELAY_MS: "30",
    SANDBOX_DELAYED_SETTLE_MS: "1200",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
}

export function paymentsOf(app: TestApp): PaymentsService {
  return app.gantry.deps.payments;
}

export function sandboxOf(app: TestApp): SandboxProvider {
  const sandbox = paymentsOf(app).provider("sandbox");
  if (!(sandbox instanceof SandboxProvider)) throw new Error("the sandbox provider is not enabled");
  return sandbox;
}

export async function adminToken(app: TestApp): Promise<string> {
  return expectSignedIn(await app.caller().auth.login(ADMIN)).accessToken;
}

export const newKey = () => `test-${randomUUID()}`;

/** The tRPC code a call ends with, or "OK". */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

export async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Waits until every settlement job was handed from the job outbox to the queue and the queue is
 * idle: the sandbox's settlement webhooks have all been delivered.
 */
export async function quiet(app: TestApp): Promise<void> {
  const db = app.gantry.deps.database.db;
  await waitFor(async () => {
    const [pending] = await db.select({ n: count() }).from(jobOutbox).where(isNull(jobOutbox.dispatchedAt));
    if (Number(pending?.n ?? 0) > 0) return false;
    const counts = await app.gantry.deps.queue.counts();
    return counts.waiting + counts.delayed + counts.active === 0;
  }, "the job queue to go idle");
}

/** Row counts of everything a payment can write, to prove a refused request wrote nothing. */
export async function paymentFootprint(app: TestApp) {
  const db = app.gantry.deps.database.db;
  const rows = async (table: typeof payments | typeof paymentRefunds | typeof ledgerEntries | typeof webhookEvents) =>
    Number((await db.select({ n: count() }).from(table))[0]?.n ?? 0);
  const events = Number((await db.select({ n: count() }).from(outbox))[0]?.n ?? 0);
  return {
    payments: await rows(payments),
    refunds: await rows(paymentRefunds),
    ledger: await rows(ledgerEntries),
    webhookEvents: await rows(webhookEvents),
    events,
  };
}

/** Events written for one payment (type and the payment's status after it), in commit order. */
export async function eventsFor(app: TestApp, paymentId: string): Promise<Array<{ type: string; status: string }>> {
  const db = app.gantry.deps.database.db;
  const rows = await db.select({ envelope: outbox.envelope }).from(outbox);
  return rows
    .map(
      (row) => row.envelope as { type: string; occurredAt: string; payload: { paymentId?: string; status?: string } },
    )
    .filter((envelope) => envelope.payload.paymentId === paymentId)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .map((envelope) => ({ type: envelope.type, status: envelope.payload.status ?? "" }));
}

export async function eventTypesFor(app: TestApp, paymentId: string): Promise<string[]> {
  return (await eventsFor(app, paymentId)).map((event) => event.type);
}

export async function ledgerFor(app: TestApp, paymentId: string) {
  const db = app.gantry.deps.database.db;
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, paymentId));
}
