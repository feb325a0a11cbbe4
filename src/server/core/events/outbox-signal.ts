import type { DatabaseHandle } from "../../db/client.js";
import { listenForCommits, signalCommit } from "../../db/commit-signal.js";
import type { Executor } from "../../db/database.js";

/** Wakes the outbox relay once a transaction that wrote events commits (db/commit-signal.ts). */
const CHANNEL = "gantry_outbox";

/** Called in the publisher's transaction, right after the outbox insert. */
export function signalOutbox(tx: Executor): Promise<void> {
  return signalCommit(tx, CHANNEL);
}

/** Calls `onSignal` after every commit that wrote to the outbox. Returns a stop function. */
export function listenForOutbox(handle: DatabaseHandle, onSignal: () => void): Promise<() => Promise<void>> {
  return listenForCommits(handle, CHANNEL, onSignal);
}
