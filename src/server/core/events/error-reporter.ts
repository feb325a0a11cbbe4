import type { Actor, EventPayload, EventType } from "../../../shared/events.js";
import type { Executor } from "../../db/database.js";
import type { Logger } from "../logger.js";

export interface ErrorContext {
  requestId?: string | undefined;
  /** Who triggered the failing work, when known; otherwise the system. */
  actor?: Actor | undefined;
}

type Publish = <T extends EventType>(tx: Executor, type: T, payload: EventPayload<T>, actor: Actor) => Promise<unknown>;

const systemActor: Actor = { kind: "system", id: "error-reporter" };

/**
 * An unexpected error in a procedure, a job or a consumer: logged in full for operators, and
 * published as `error.occurred` with a message that cannot carry secrets or user input (the
 * error's class name only: messages often embed SQL, URLs or the offending input).
 */
export class ErrorReporter {
  constructor(
    private readonly db: Executor,
    private readonly publish: Publish,
    private readonly logger: Logger,
  ) {}

  /** Never throws and never rejects: reporting an error must not become a second error. */
  async report(where: string, error: unknown, context: ErrorContext = {}): Promise<void> {
    const requestId = safeToken(context.requestId);
    try {
      this.logger.error({ err: error, where, requestId }, "unexpected error");
      await this.publish(
        this.db,
        "error.occurred",
        { where: safeWhere(where), message: safeErrorMessage(error), ...(requestId ? { requestId } : {}) },
        context.actor ?? systemActor,
      );
    } catch (publishError) {
      try {
        this.logger.warn({ err: publishError, where }, "could not publish error.occurred");
      } catch {
        // A broken logger is not worth crashing for.
      }
    }
  }
}

/** "unexpected TypeError": the class name is chosen by code, never by a user. */
export function safeErrorMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  return name && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) ? `unexpected ${name}` : "unexpected error";
}

/** Procedure paths and job names come from our code, but a request can influence them: keep them plain. */
function safeWhere(where: string): string {
  const cleaned = where.replace(/[^A-Za-z0-9_.:/-]/g, "").slice(0, 120);
  return cleaned || "unknown";
}

/** Request ids may come from an incoming header. */
function safeToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const cleaned = value.replace(/[^A-Za-z0-9_.:-]/g, "").slice(0, 100);
  return cleaned || undefined;
}
