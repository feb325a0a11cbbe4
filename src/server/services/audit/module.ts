import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import { AuditRepository } from "../../repositories/audit.js";
import { AuditService } from "./audit-service.js";

/** Builds the audit domain: the audit-log consumer and what administrators read of it. */
export function createAudit(options: { db: Database; events: EventBus }): AuditService {
  return new AuditService(options.db, new AuditRepository(), options.events);
}
