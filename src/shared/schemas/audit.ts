import { listQuerySchema } from "./list.js";

export const auditListFields = ["type", "actorId", "occurredAt"] as const;
export const auditListInput = listQuerySchema(auditListFields);

export interface AuditEntry {
  id: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  occurredAt: Date;
  payload: unknown;
}
