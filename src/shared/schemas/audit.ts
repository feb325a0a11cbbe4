import { auditListFields } from "../constants.js";
import { listQuerySchema } from "./list.js";

export { auditListFields } from "../constants.js";
export const auditListInput = listQuerySchema(auditListFields);

export interface AuditEntry {
  id: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  occurredAt: Date;
  payload: unknown;
}
