import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client.js";
import type { Executor } from "./database.js";

/**
 * "Wake up: a row you wait for is now visible." PostgreSQL delivers a NOTIFY only when the
 * transaction that sent it commits, and to every listening session, in this process and in the
 * others. The event relay and the job dispatcher each wait on their own channel; their timer
 * polls stay as the safety net for lost notifications.
 */

/** Called inside the writer's transaction, right after the insert. */
export async function signalCommit(tx: Executor, channel: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, '')`);
}

/**
 * Calls `onSignal` after every commit that signalled `channel`. Returns a stop function.
 * postgres.js listens again by itself when the LISTEN connection drops, and calls `onlisten`
 * each time: commits made while it was away sent no notification we heard, so signal then too.
 * (If listening again fails, postgres.js gives up silently; the poll still runs.)
 */
export async function listenForCommits(
  handle: DatabaseHandle,
  channel: string,
  onSignal: () => void,
): Promise<() => Promise<void>> {
  if (handle.driver.kind === "postgres") {
    let listened = false;
    const subscription = await handle.driver.sql.listen(
      channel,
      () => onSignal(),
      () => {
        // The first call is this subscription itself; later ones are re-subscriptions.
        if (listened) onSignal();
        listened = true;
      },
    );
    return async () => {
      await subscription.unlisten();
    };
  }
  const unlisten = await handle.driver.pglite.listen(channel, () => onSignal());
  return async () => {
    await unlisten();
  };
}
