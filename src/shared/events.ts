import { z } from "zod";
import { accountLifecycleEvents } from "./events/account-lifecycle.js";
import { accountEvents } from "./events/accounts.js";
import { passkeyEvents } from "./events/passkeys.js";
import { paymentEvents } from "./events/payments.js";
import { pipelineEvents } from "./events/pipelines.js";
import { ssoEvents } from "./events/sso.js";
import { twoFactorEvents } from "./events/two-factor.js";

/**
 * The event catalogue: every event Gantry emits, name -> payload schema. Producers and
 * consumers on both sides of RabbitMQ validate against these, so a typo is a type error
 * and a malformed message is rejected rather than half-handled.
 */
export const eventPayloads = {
  "error.occurred": z.object({
    /** Where it happened: a procedure path, a job name or a consumer name. */
    where: z.string(),
    /** A safe message: no secrets, no user input echoed back. */
    message: z.string(),
    requestId: z.string().optional(),
  }),

  ...accountEvents,
  ...passkeyEvents,
  ...accountLifecycleEvents,
  ...paymentEvents,
  ...pipelineEvents,
  ...twoFactorEvents,
  ...ssoEvents,
} as const;

export type EventType = keyof typeof eventPayloads;
const eventTypes = Object.keys(eventPayloads) as EventType[];

export const actorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), id: z.string().uuid() }),
  z.object({ kind: z.literal("system"), id: z.string() }),
  z.object({ kind: z.literal("anonymous") }),
]);
export type Actor = z.infer<typeof actorSchema>;

export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** What travels on the wire and lands in the outbox. */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: {
    id: string;
    type: K;
    /** ISO-8601 timestamp. */
    occurredAt: string;
    actor: Actor;
    payload: EventPayload<K>;
  };
}[T];

const envelopeBase = z.object({
  id: z.string().uuid(),
  type: z.enum(eventTypes as [EventType, ...EventType[]]),
  occurredAt: z.string().datetime({ offset: true }),
  actor: actorSchema,
  payload: z.unknown(),
});

/** Validates an envelope from the wire, including its payload against the catalogue. */
export function parseEnvelope(input: unknown): EventEnvelope {
  const base = envelopeBase.parse(input);
  const payload = eventPayloads[base.type].parse(base.payload);
  return { ...base, payload } as EventEnvelope;
}
