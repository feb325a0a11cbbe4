import { TRPCError } from "@trpc/server";
import type { Context } from "./context.js";

/**
 * Subscriptions open per WebSocket. One context serves a whole connection (see context.ts), and
 * middlewares before `identify` see that very object, so it identifies the connection.
 */
const openByConnection = new WeakMap<object, number>();

/**
 * Caps the subscriptions one WebSocket may hold at WS_MAX_SUBSCRIPTIONS: each holds listeners
 * and sometimes database polling, and nothing else bounds how many a client asks for. The next
 * one is refused with TOO_MANY_REQUESTS; a subscription frees its place when it ends, is
 * stopped by the client, or the socket closes. Must see the context before `identify` replaces it.
 */
export async function limitSubscriptions<R extends { ok: boolean; data?: unknown }>(
  { ctx, type, signal }: { ctx: Pick<Context, "deps" | "transport">; type: string; signal: AbortSignal | undefined },
  next: () => Promise<R>,
): Promise<R> {
  if (type !== "subscription" || ctx.transport !== "ws") return next();
  const max = ctx.deps.config.http.wsMaxSubscriptions;
  const open = openByConnection.get(ctx) ?? 0;
  if (open >= max) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `This connection already has ${max} subscriptions open (WS_MAX_SUBSCRIPTIONS=${max}). Stop one before starting another.`,
    });
  }
  openByConnection.set(ctx, open + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    openByConnection.set(ctx, Math.max(0, (openByConnection.get(ctx) ?? 1) - 1));
  };
  // The adapter aborts the signal when the client stops the subscription or the socket closes.
  signal?.addEventListener("abort", release, { once: true });
  const result = await next();
  if (!result.ok) {
    release();
    return result;
  }
  const data: unknown = result.data;
  if (data && typeof data === "object" && Symbol.asyncIterator in data) {
    return { ...result, data: releasingWhenDone(data as AsyncIterable<unknown>, release) };
  }
  return result;
}

/** The same values; `release` runs once the subscription ends, however it ends. */
async function* releasingWhenDone<T>(source: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } finally {
    release();
  }
}
