import type Stripe from "stripe";
import { z } from "zod";
import { text } from "../../../../shared/schemas/text.js";
import { WebhookRejected } from "../provider.js";

/**
 * The parts of a Stripe event we read, checked before we read them. A signed event is still
 * only as well-formed as whoever holds the secret made it (a test tool, a misconfigured
 * forwarder): one that lacks an id or carries text the database cannot store is refused with
 * a 400 naming the field, rather than failing half-way through with a 500.
 */
const id = text().min(1).max(255);
const metadata = z.record(z.string(), z.unknown()).nullish();
const reason = text({ multiline: true }).max(2000).nullish();

const eventShape = z.object({
  id,
  type: text().min(1).max(100),
  data: z.object({ object: z.object({}).loose() }),
});

const intentShape = z.object({
  id,
  amount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: text().min(3).max(10),
  metadata,
  cancellation_reason: reason,
  last_payment_error: z.object({ code: reason, decline_code: reason, message: reason }).loose().nullish(),
});

const refundShape = z.object({
  id,
  status: text().max(100).nullish(),
  failure_reason: reason,
  metadata,
});

const INTENT_EVENTS = new Set([
  "payment_intent.processing",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
]);
const REFUND_EVENTS = new Set(["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"]);

/** Throws WebhookRejected, naming the first bad field, unless `event` has the shape we read. */
export function checkEventShape(event: Stripe.Event): void {
  check(eventShape, event, "");
  if (INTENT_EVENTS.has(event.type)) check(intentShape, event.data.object, "data.object.");
  else if (REFUND_EVENTS.has(event.type)) check(refundShape, event.data.object, "data.object.");
}

function check(schema: z.ZodType, value: unknown, prefix: string): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const field = `${prefix}${issue?.path.join(".") ?? ""}`.replace(/\.$/, "") || "event";
  throw new WebhookRejected(`Stripe webhook refused: ${field}: ${issue?.message ?? "malformed"}`);
}
