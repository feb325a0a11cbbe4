/**
 * A payment's detail reaches the cache two ways: the `byId` query and the live `onPayment`
 * feed. A query answer read before a change can land after the feed reported it; keeping
 * whichever copy the server changed last stops the screen from stepping back
 * (succeeded -> processing). Used as the query's `structuralSharing`, so every write goes
 * through it.
 */
export function keepNewer(current: unknown, incoming: unknown): unknown {
  if (hasUpdatedAt(current) && hasUpdatedAt(incoming) && current.updatedAt > incoming.updatedAt) return current;
  return incoming;
}

function hasUpdatedAt(value: unknown): value is { updatedAt: Date } {
  return typeof value === "object" && value !== null && "updatedAt" in value && value.updatedAt instanceof Date;
}
