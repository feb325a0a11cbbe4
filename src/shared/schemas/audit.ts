import { auditListFields } from "../constants.js";
import { listQuerySchema } from "./list.js";

export { auditListFields } from "../constants.js";
// The actor id is text: system actors have ids like "provider:stripe".
export const auditListInput = listQuerySchema(auditListFields, { type: "text", actorId: "text", occurredAt: "date" });

export interface AuditEntry {
  id: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  occurredAt: Date;
  payload: unknown;
}
