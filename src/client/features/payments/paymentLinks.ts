/** Where a payment's detail lives; one place, so links and the route agree. */
export function paymentPath(id: string): string {
  return `/payments/${encodeURIComponent(id)}`;
}
