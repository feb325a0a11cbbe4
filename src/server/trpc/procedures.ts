import type { Permission } from "../../shared/permissions.js";
import { deadline } from "./deadline.js";
import { t } from "./init.js";
import { identify, observe, requirePermission, requireUser } from "./middlewares.js";
import { limitSubscriptions } from "./subscription-limit.js";

// limitSubscriptions needs the context object the connection holds, so it runs before `identify`
// replaces it; domain errors (the deadline's too) are mapped by `observe`, outermost.
const base = t.procedure.use(observe).use(limitSubscriptions).use(deadline).use(identify);

/** Anyone, signed in or not. */
export const publicProcedure = base.meta({ access: "public" });

/** Any signed-in user, whatever the role. */
export const authedProcedure = base.meta({ access: "authenticated" }).use(requireUser);

/** A signed-in user whose role grants `permission` in the shared matrix. */
export function permissionProcedure(permission: Permission) {
  return base.meta({ access: permission }).use(requirePermission(permission));
}
