import type { Permission } from "../../shared/permissions.js";
import { t } from "./init.js";
import { entry, requirePermission, requireUser } from "./middlewares.js";

// Observing, the subscription cap, the deadline and the session check in one level (see `entry`).
const base = t.procedure.use(entry);

/** Anyone, signed in or not. */
export const publicProcedure = base.meta({ access: "public" });

/** Any signed-in user, whatever the role. */
export const authedProcedure = base.meta({ access: "authenticated" }).use(requireUser);

/** A signed-in user whose role grants `permission` in the shared matrix. */
export function permissionProcedure(permission: Permission) {
  return base.meta({ access: permission }).use(requirePermission(permission));
}
