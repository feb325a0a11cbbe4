import { EventEmitter, on } from "node:events";
import { type AuditEntry, auditListInput } from "../../shared/schemas/audit.js";
import { forbidden } from "../services/errors.js";
import { fromDomainError } from "../trpc/errors.js";
import { router } from "../trpc/init.js";
import { permissionProcedure } from "../trpc/procedures.js";
import { stillAllowed } from "../trpc/still-allowed.js";

export const auditRouter = router({
  list: permissionProcedure("audit:read")
    .input(auditListInput)
    .query(({ ctx, input }) => ctx.deps.audit.list(input)),

  /**
   * Every event as it happens. The caller's session is checked again before each event is
   * sent, so an admin who is demoted or signed out stops receiving at once.
   */
  live: permissionProcedure("audit:read").subscription(async function* ({ ctx, signal }): AsyncGenerator<AuditEntry> {
    const feed = new EventEmitter();
    const stop = ctx.deps.audit.onEntry((entry) => feed.emit("entry", entry));
    try {
      for await (const [entry] of on(feed, "entry", { signal })) {
        if (!(await stillAllowed(ctx, "audit:read")))
          throw fromDomainError(forbidden("Your access to the audit log has ended."));
        yield entry as AuditEntry;
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    } finally {
      stop();
    }
  }),
});
