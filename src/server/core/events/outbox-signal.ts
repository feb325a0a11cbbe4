import { sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "../../db/client.js";

/**
 * PostgreSQL delivers a NOTIFY only when the transaction that sent it commits, and to every
 * listening session. That is exactly "wake the relay once the outbox row is visible", in this
 * process and in the others (an API process publishes, a worker process may run the relay).
 * The relay's timer poll stays as the safety net for lost notifications.
 */
const CHANNEL = "gantry_outbox";

/** Called in the publisher's transaction, right after the outbox insert. */
export async function signalOutbox(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANNEL}, '')`);
}

/**
 * Calls `onSignal` after every commit that wrote to the outbox. Returns a stop function.
 * postgres.js listens again by itself when the LISTEN connection drops, and calls `onlisten`
 * each time: commits made while it was away sent no notification we heard, so signal then too.
 * (If listening again fails, postgres.js gives up silently; the relay's poll still runs.)
 */
export async function listenForOutbox(handle: DatabaseHandle, onSignal: () => void): Promise<() => Promise<void>> {
  if (handle.driver.kind === "postgres") {
    let listened = false;
    const subscription = await handle.driver.sql.listen(
      CHANNEL,
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
  const unlisten = await handle.driver.pglite.listen(CHANNEL, () => onSignal());
  return async () => {
    await unlisten();
  };
}
