/** Where a payment's detail lives; one place, so links and the route agree. */
export function paymentPath(id: string): string {
  return `/payments/${encodeURIComponent(id)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Payment ids are UUIDs; anything else in the URL is "not found" without asking the server (which would call it bad input). */
export function isPaymentId(text: string | undefined): text is string {
  return text !== undefined && UUID.test(text);
}

/** "3f2a9c1e…": enough to tell ids apart in a table; the full id is in the title. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
