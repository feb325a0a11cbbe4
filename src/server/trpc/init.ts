import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { ProcedureAccess } from "../../shared/permissions.js";
import type { Context } from "./context.js";
import { formatError } from "./errors.js";

export interface ProcedureMeta {
  /** Every procedure declares who may call it; the RBAC test reads this from the router. */
  access: ProcedureAccess;
}

export const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Never send stack traces, in any environment.
    isDev: false,
    errorFormatter: ({ shape, error, ctx }) => formatError(shape, error, ctx?.requestId),
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
