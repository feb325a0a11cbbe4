import { eq, type InferSelectModel } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { webhookEvents } from "../db/schema/index.js";

export type WebhookEventRow = InferSelectModel<typeof webhookEvents>;

export class WebhookEventsRepository {
  /**
   * Claims a provider event id. Undefined means it was already handled (a replay). A
   * concurrent duplicate waits on the unique index until the first transaction ends.
   */
  async claim(
    tx: Executor,
    row: { provider: string; eventId: string; type: string },
  ): Promise<WebhookEventRow | undefined> {
    const rows = await tx
      .insert(webhookEvents)
      .values({ ...row, outcome: "received" })
      .onConflictDoNothing()
      .returning();
    return rows[0];
  }

  async setOutcome(tx: Executor, id: string, outcome: string, paymentId: string | null): Promise<void> {
    await tx.update(webhookEvents).set({ outcome, paymentId }).where(eq(webhookEvents.id, id));
  }
}
