import { accountRouter } from "../api/account.js";
import { auditRouter } from "../api/audit.js";
import { authRouter } from "../api/auth.js";
import { paymentsRouter } from "../api/payments.js";
import { pipelinesRouter } from "../api/pipelines.js";
import { ssoRouter } from "../api/sso.js";
import { systemRouter } from "../api/system.js";
import { usersRouter } from "../api/users.js";
import { router } from "./init.js";

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  users: usersRouter,
  audit: auditRouter,
  payments: paymentsRouter,
  pipelines: pipelinesRouter,
  sso: ssoRouter,
  account: accountRouter,
});

/** The only thing the client imports from the server, and only as a type. */
export type AppRouter = typeof appRouter;
