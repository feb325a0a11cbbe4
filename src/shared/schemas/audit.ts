import { auditListFields } from "../constants.js";
import { listQuerySchema } from "./list.js";
import type { PersonRef } from "./people.js";

export { auditListFields } from "../constants.js";
// The actor id is text: system actors have ids like "provider:stripe".
export const auditListInput = listQuerySchema(auditListFields, { type: "text", actorId: "text", occurredAt: "date" });

export interface AuditEntry {
  id: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  /** The acting user's name and email, on list pages, when the actor is a user that still exists. */
  actor?: PersonRef | undefined;
  occurredAt: Date;
  payload: unknown;
}
