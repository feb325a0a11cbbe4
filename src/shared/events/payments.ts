/** Payment lifecycle events. */
export const paymentEvents = {} as const;
