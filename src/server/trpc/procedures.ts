import type { Permission } from "../../shared/permissions.js";
import { deadline } from "./deadline.js";
import { t } from "./init.js";
import { loadSession, mapDomainErrors, observe, rateLimit, requirePermission, requireUser } from "./middlewares.js";
import { limitSubscriptions } from "./subscription-limit.js";

const base = t.procedure
  .use(observe)
  .use(limitSubscriptions)
  .use(mapDomainErrors)
  .use(deadline)
  .use(loadSession)
  .use(rateLimit);

/** Anyone, signed in or not. */
export const publicProcedure = base.meta({ access: "public" });

/** Any signed-in user, whatever the role. */
export const authedProcedure = base.meta({ access: "authenticated" }).use(requireUser);

/** A signed-in user whose role grants `permission` in the shared matrix. */
export function permissionProcedure(permission: Permission) {
  return base.meta({ access: permission }).use(requirePermission(permission));
}
