/**
 * A tRPC batch names all its procedures in one path segment (`/trpc/a.b,c.d,...`), and GET
 * batches carry their inputs in the query too: past a few KB, servers and proxies answer 414.
 * The server routes paths up to TRPC_PATH_MAX_LENGTH; the client splits batches well below it.
 */
export const TRPC_PATH_MAX_LENGTH = 4000;

/** httpBatchLink options: larger batches are sent as several requests. */
export const BATCH_LIMITS = { maxURLLength: 3000, maxItems: 20 } as const;
