import { type AuditEntry, auditListInput } from "../../shared/schemas/audit.js";
import { listen } from "../core/live.js";
import { router } from "../trpc/init.js";
import { whileAllowed } from "../trpc/live.js";
import { permissionProcedure } from "../trpc/procedures.js";

export const auditRouter = router({
  list: permissionProcedure("audit:read")
    .input(auditListInput)
    .query(({ ctx, input }) => ctx.deps.audit.list(input)),

  /**
   * Every event as it happens, while the caller may still read the audit log: an admin who is
   * demoted or signed out stops receiving at once.
   */
  onEntry: permissionProcedure("audit:read").subscription(
    ({ ctx, signal }): AsyncGenerator<AuditEntry> =>
      whileAllowed(ctx, {
        permission: "audit:read",
        values: () => listen<AuditEntry>((push) => ctx.deps.audit.onEntry(push), signal),
        ended: { forbidden: "Your access to the audit log has ended." },
        signal,
      }),
  ),
});
